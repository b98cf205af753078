/**
 * The threadvisor runtime inside a worker thread: finds the module's exported definition, answers the
 * host's handshake, beats, and routes messages to actors. Installed once per thread, by the first
 * `defineWorker` call in a thread threadvisor started.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import { isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import type { BootData } from '../protocol/boot-data.js';
import { PROTOCOL_VERSION } from '../protocol/boot-data.js';
import type { ActorEnd, HostMessage, ThreadMessage } from '../protocol/messages.js';
import {
  OP_BEAT, OP_CALL, OP_CAST, OP_EXIT, OP_IGNORED, OP_INIT, OP_INIT_FAILED, OP_LOAD_FAILED, OP_LOADED, OP_READY, OP_STOP,
  OP_CONNECTED, OP_CONNECT_FAILED, OP_CONNECT_WAITING, OP_DOWN, OP_PEER_ACCEPT, OP_PEER_DOWN,
} from '../protocol/messages.js';
import { serializeError } from '../protocol/serialized-error.js';
import type { WorkerDefinition } from '../protocol/worker-definition.js';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { ActorSite } from './actor-runtime.js';
import { ActorRuntime } from './actor-runtime.js';
import { createActorContext } from './actor-context.js';
import { importEntry } from './import-entry.js';
import { isIgnore } from './sentinels.js';
import { pickDefinition } from './pick-definition.js';
import { ThreadPeers, type PeerStats } from './peers.js';

// A global symbol, so two copies of the package in one thread (ESM and CJS) still install one runtime.
export const RUNTIME = Symbol.for('threadvisor.worker.runtime');
/** The heartbeat message (one shared array: it carries nothing). */
const BEAT: ThreadMessage = [OP_BEAT];

/** Installs the runtime in this thread unless it is already there. */
export function installThreadRuntime(boot: BootData): void {
  const holder = globalThis as { [RUNTIME]?: ThreadRuntime };
  // Only a host older than protocol 2 sends no port; it listens on parentPort, where it learns of the mismatch.
  const port = boot.port ?? parentPort;
  if (holder[RUNTIME] !== undefined || port === null) return;
  raiseStackTraceLimit();
  holder[RUNTIME] = new ThreadRuntime(boot, port);
  process.on('unhandledRejection', crashOnUnhandledRejection);
}

/**
 * Loads the thread's module and picks its definition of `kind` (a worker, or a job handler). On a
 * protocol mismatch, a module that fails to import, or one that exports no such definition, it posts
 * `OP_LOAD_FAILED` saying which and resolves `undefined`. Shared by the worker and the job runtime.
 */
export async function loadDefinition(boot: BootData, post: (message: ThreadMessage) => void, kind: 'worker' | 'jobs'): Promise<object | undefined> {
  if (boot.protocol !== PROTOCOL_VERSION) {
    post([OP_LOAD_FAILED, {
      name: 'ProtocolMismatchError',
      message: `the host speaks protocol ${boot.protocol}, this threadvisor/worker speaks ${PROTOCOL_VERSION}; install one version of threadvisor`,
    }]);
    return undefined;
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await importEntry(boot.module);
  } catch (error) {
    post([OP_LOAD_FAILED, serializeError(error)]);
    return undefined;
  }
  const picked = pickDefinition(namespace, boot.module, kind);
  if (typeof picked === 'string') {
    post([OP_LOAD_FAILED, { name: 'NoWorkerExportError', message: picked }]);
    return undefined;
  }
  return picked;
}

/** How many frames a thread's error stacks keep (V8 keeps 10 unless told otherwise). */
const THREAD_STACK_TRACE_LIMIT = 50;

/**
 * Beats twice per heartbeat interval (ms) on the protocol port, from the thread's own timer: answering
 * pings instead would let a thread with a long inbound queue look hung, since timers get their turn
 * between message batches and a ping would wait behind them. `false`: no heartbeat. Shared by the worker
 * and the job runtime.
 */
export function startBeating(port: MessagePort, heartbeatMs: number | false): void {
  if (heartbeatMs === false) return;
  setInterval(() => port.postMessage(BEAT), Math.max(1, heartbeatMs / 2)).unref();
}

/**
 * Ten frames (V8's default) are often all library frames and the few user frames nearest the throw: a
 * handler's own frame, and the path from it to the bug, were cut off the crash report. The runtime keeps
 * more in a worker thread, before `init` or any handler runs. It stands back when the user chose a limit:
 * `--stack-trace-limit` (in `execArgv` or `NODE_OPTIONS`), or a value set by the module before this point.
 * Only stacks that are captured pay for it, and those are crashes: no message on the call path does.
 */
export function raiseStackTraceLimit(): void {
  const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith('--stack-trace-limit') || arg.startsWith('--stack_trace_limit'));
  if (!chosen && Error.stackTraceLimit === 10) Error.stackTraceLimit = THREAD_STACK_TRACE_LIMIT;
}

/**
 * An unhandled rejection is a bug, and a bug crashes the actor, whatever `--unhandled-rejections` mode the
 * process runs with: threads inherit it, and under `warn` or `none` Node only prints or ignores the
 * rejection, leaving an actor whose state is suspect running. Rethrown from this listener, it becomes an
 * uncaught exception that ends the thread with an `'error'` the host turns into the crash reason, as under
 * Node's default mode. A worker that installs an `'unhandledRejection'` listener of its own has taken
 * charge of them, as under the default mode, and this one stands back.
 */
export function crashOnUnhandledRejection(reason: unknown): void {
  if (process.listenerCount('unhandledRejection') > 1) return;
  if (typeof reason === 'object' && reason !== null && typeof (reason as { message?: unknown }).message === 'string') throw reason;
  // Node's default mode wraps a non-error reason the same way, so the host sees the same name and code.
  const error = new Error(`This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${describeReason(reason)}".`);
  error.name = 'UnhandledPromiseRejection';
  (error as Error & { code?: string }).code = 'ERR_UNHANDLED_REJECTION';
  throw error;
}

function describeReason(reason: unknown): string {
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

class ThreadRuntime implements ActorSite {
  readonly #port: MessagePort;
  readonly #boot: BootData;
  readonly #actors = new Map<number, ActorRuntime>();
  #definition: WorkerDefinition | undefined;
  /** An `init` that arrived before the module finished loading: the host sends it early to save a round trip. */
  #earlyInit: { actorId: number; args: unknown; self: ActorSelf; inTree: boolean } | undefined;
  /** The references, channels and monitors of the thread's actors. */
  readonly #peers = new ThreadPeers((message) => this.post(message));

  constructor(boot: BootData, port: MessagePort) {
    this.#boot = boot;
    this.#port = port;
    port.on('message', (message: unknown) => this.#onMessage(message));
    startBeating(port, boot.heartbeatMs);
    // defineWorker runs while the module evaluates; the module's exports are complete only once it has
    // finished, and `import()` of the entry waits for that (top-level await included).
    queueMicrotask(() => void this.#load());
  }

  post(message: ThreadMessage): void {
    this.#port.postMessage(message);
  }

  ended(actor: ActorRuntime, reason: ExitReason, how: ActorEnd): void {
    this.#actors.delete(actor.id);
    this.#peers.ended(actor.id);
    try {
      this.post([OP_EXIT, actor.id, reason, how]);
    } catch (error) {
      // A stop detail is user data and may not be cloneable; the kind still tells the host how it ended.
      const detail = `${String((reason as { detail?: unknown }).detail)} (not cloneable: ${serializeError(error).message})`;
      this.post([OP_EXIT, actor.id, { kind: 'shutdown', detail }, how]);
    }
    // One actor per thread today: the thread goes with its last actor. The host has the reason already.
    if (this.#actors.size === 0) process.exit(isNormalExit(reason) ? 0 : 1);
  }

  async #load(): Promise<void> {
    const picked = await loadDefinition(this.#boot, (message) => this.post(message), 'worker');
    if (picked === undefined) return;
    this.#definition = picked as WorkerDefinition;
    this.post([OP_LOADED, Object.keys(this.#definition.calls as object), Object.keys(this.#definition.casts as object)]);
    const early = this.#earlyInit;
    this.#earlyInit = undefined;
    if (early !== undefined) void this.#start(early.actorId, early.args, early.self, early.inTree);
  }

  #onMessage(message: unknown): void {
    // Only the host writes to this port, always an opcode array; the check guards a host of another make.
    if (!Array.isArray(message)) return;
    const m = message as unknown as HostMessage;
    switch (m[0]) {
      case OP_CALL:
      case OP_CAST:
      case OP_STOP:
        // No actor means it has already ended: the host rejects whatever it still sent when the exit arrives.
        this.#actors.get(m[1])?.deliver(m);
        return;
      case OP_INIT:
        if (this.#definition === undefined) this.#earlyInit = { actorId: m[1], args: m[2], self: m[3], inTree: m[4] === true };
        else void this.#start(m[1], m[2], m[3], m[4] === true);
        return;
      case OP_PEER_ACCEPT:
      case OP_CONNECTED:
      case OP_CONNECT_FAILED:
      case OP_CONNECT_WAITING:
      case OP_PEER_DOWN:
      case OP_DOWN:
        this.#peers.onMessage(m);
        return;
      default:
        return;
    }
  }

  /** How many links, channels and monitors the thread holds (read by leak tests through the runtime's global). */
  peerStats(): PeerStats {
    return this.#peers.stats();
  }

  async #start(actorId: number, args: unknown, self: ActorSelf, inTree: boolean): Promise<void> {
    const definition = this.#definition as WorkerDefinition;
    const peers = this.#peers.actor(actorId, self, inTree);
    // Made before init, so init and terminate see the very same object for the actor's whole life.
    const ctx = createActorContext(self, peers.abilities());
    let state: unknown;
    try {
      state = await definition.init(args, ctx);
    } catch (error) {
      this.#peers.ended(actorId);
      this.post([OP_INIT_FAILED, actorId, serializeError(error)]);
      return;
    }
    if (isIgnore(state)) {
      this.#peers.ended(actorId);
      this.post([OP_IGNORED, actorId]);
      return;
    }
    const runtime = new ActorRuntime(actorId, definition, state, ctx, this);
    this.#actors.set(actorId, runtime);
    peers.attach(runtime);
    this.post([OP_READY, actorId]);
  }
}
