/**
 * One worker thread as the host sees it: spawning and the load handshake (boot), starting its actor
 * (init), routing messages, heartbeats, and turning every way a thread can die into one exit reason.
 *
 * Booting is separate from starting the actor so a thread can be booted before its `init` arguments are
 * known (warm standby). Every path to death funnels through `#die`, which records the first cause and
 * fails all in-flight calls at once; `exited` settles exactly once, on Node's `'exit'` event.
 *
 * The protocol runs on a MessageChannel of its own, not on `parentPort`: Node reports a thread's death
 * (`'error'`, `'exit'`) on another channel than its messages, so the death can arrive first while replies
 * and exit notices the thread posted before dying still wait in the queue (nodejs/node#59617). Before any
 * death is settled, `#drain` reads what is queued on the port, in order, so nothing the thread posted
 * before it died is lost or overtaken by its death.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Transferable, WorkerOptions } from 'node:worker_threads';
import type { ExitReason } from '../protocol/exit-reason.js';
import { formatExitReason } from '../protocol/exit-reason.js';
import { DataCloneError, StartError } from '../errors.js';
import { BOOT_KEY, PROTOCOL_VERSION } from '../protocol/boot-data.js';
import type { BootData } from '../protocol/boot-data.js';
import type { HostMessage, JobHandlerTable, ThreadMessage } from '../protocol/messages.js';
import {
  OP_BEAT, OP_EXIT, OP_FAIL, OP_IGNORED, OP_INIT, OP_INIT_FAILED, OP_LOAD_FAILED, OP_LOADED, OP_READY, OP_REPLY,
  OP_CONNECT, OP_DEMONITOR, OP_LOG, OP_MONITOR, isThreadMessage, OP_JOB_RESULTS,
} from '../protocol/messages.js';
import { InitEndpoint, logFromThread, onPeerMessage } from './channels.js';
import type { SerializedError } from '../protocol/serialized-error.js';
import { serializeError } from '../protocol/serialized-error.js';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { StartOutcome } from '../seams/child-host.js';
import { standaloneSelf } from './actor-self.js';
import { reasonFromError, reasonFromExitCode } from './exit-classify.js';
import { HeartbeatMonitor } from './heartbeat-monitor.js';
import { withSyntaxLocation } from './syntax-location.js';
import type { ActorThread } from './thread-actor.js';
import { ThreadActor } from './thread-actor.js';
import type { ThreadSettings } from './settings.js';
import { TYPESCRIPT_ENTRY, isTypeScriptModule } from './typescript-entry.js';
import { clampDelay } from './settings.js';

type WaitOutcome = { message: ThreadMessage } | { death: ExitReason } | { timedOut: number };

interface Waiter {
  settle(outcome: WaitOutcome): void;
}

const EMPTY: ReadonlySet<string> = new Set();

/** A worker thread running threadvisor's runtime, hosting (today) one actor. */
export class WorkerThread implements ActorThread {
  /** The Node thread id. */
  readonly threadId: number;
  /** Settles exactly once, when the thread has exited, with the first cause of its end. Never rejects. */
  readonly exited: Promise<ExitReason>;
  readonly #worker: Worker;
  /** The host's end of the protocol channel (the thread has the other, from its boot data). */
  readonly #port: MessagePort;
  readonly #settings: ThreadSettings;
  readonly #actors = new Map<number, ThreadActor>();
  #settleExited!: (reason: ExitReason) => void;
  #reason: ExitReason | undefined;
  #waiter: Waiter | undefined;
  /**
   * Handshake messages that arrived while nobody waited: a drain before a death reads several at once
   * (loaded, then ready), faster than the start sequence installs its next waiter.
   */
  readonly #handshake: ThreadMessage[] = [];
  #heartbeat: HeartbeatMonitor | undefined;
  #calls: ReadonlySet<string> = EMPTY;
  #casts: ReadonlySet<string> = EMPTY;
  #nextActorId = 1;
  /** The identity each actor was started with, until it is ready. */
  readonly #selves = new Map<number, ActorSelf>();
  /** Stand-ins for actors that call or monitor others from their `init` (see `InitEndpoint`). */
  readonly #initEndpoints = new Map<number, InitEndpoint>();
  #jobs: JobHandlerTable | undefined;
  #jobListener: ((results: unknown[]) => void) | undefined;

  /**
   * Spawns a thread running the worker module and waits until the module has loaded and exported its
   * definition. Rejects with `StartError` (after the thread is gone) if it fails to load, exports no
   * definition, exits, or does not load before `deadline` (a `performance.now()` time).
   */
  static async boot(settings: ThreadSettings, deadline: number): Promise<WorkerThread> {
    const thread = WorkerThread.#spawn(settings);
    await thread.#awaitLoaded(deadline);
    return thread;
  }

  /**
   * Spawns a thread and starts its actor with `args`: {@link boot} then {@link startActor}, except that
   * the `init` message is posted right away (the thread holds it until its module has loaded), which
   * saves a round trip on every start.
   */
  static async start(settings: ThreadSettings, deadline: number): Promise<StartOutcome> {
    const thread = WorkerThread.#spawn(settings);
    const actorId = await thread.#postInit(settings.args);
    await thread.#awaitLoaded(deadline);
    if (thread.#jobs !== undefined) {
      // A job handler module has no calls: started as a worker, every call would fail. Refused at start instead.
      await thread.kill({ kind: 'normal' });
      throw new StartError(settings.label, {
        name: 'NotAWorkerModuleError',
        message: `${settings.url.href} defines job handlers (defineJobHandler), not a worker; run its jobs with startPool() or a pool() child`,
      }, { threadId: thread.threadId });
    }
    return thread.#awaitInit(actorId, deadline);
  }

  static #spawn(settings: ThreadSettings): WorkerThread {
    try {
      return new WorkerThread(settings);
    } catch (error) {
      throw new StartError(settings.label, serializeError(error), { cause: error });
    }
  }

  private constructor(settings: ThreadSettings) {
    this.#settings = settings;
    this.exited = new Promise((resolve) => {
      this.#settleExited = resolve;
    });
    const channel = new MessageChannel();
    const boot: BootData = { protocol: PROTOCOL_VERSION, module: settings.url.href, heartbeatMs: settings.heartbeatMs, port: channel.port2 };
    const options: WorkerOptions = { workerData: { [BOOT_KEY]: boot }, transferList: [channel.port2] };
    if (settings.name !== undefined) options.name = settings.name;
    if (settings.resourceLimits !== undefined) options.resourceLimits = settings.resourceLimits;
    if (settings.env !== undefined) options.env = settings.env;
    if (settings.execArgv !== undefined) options.execArgv = settings.execArgv;
    try {
      // A TypeScript module cannot be a thread's entry on its own: a JavaScript entry loads it (see typescript-entry.ts).
      this.#worker = isTypeScriptModule(settings.url)
        ? new Worker(TYPESCRIPT_ENTRY, { ...options, eval: true })
        : new Worker(settings.url, options);
    } catch (error) {
      channel.port1.close();
      throw error;
    }
    this.#port = channel.port1;
    this.threadId = this.#worker.threadId;
    this.#port.on('message', (message: unknown) => this.#onMessage(message));
    // A message the host cannot decode may be a reply: its caller would wait for nothing. The protocol
    // with this thread can no longer be trusted, so the thread ends (and is restarted if supervised).
    this.#port.on('messageerror', (error: unknown) => {
      settings.logger.error({ context: 'message_error', threadId: this.threadId, err: error }, 'a message from the thread could not be decoded; ending the thread');
      void this.kill({ kind: 'error', error: serializeError(error) });
    });
    // parentPort carries none of the protocol; what the thread posts there has nowhere to go, so say so.
    this.#worker.on('message', () => {
      this.#settings.logger.warn({ context: 'foreign_message', threadId: this.threadId }, 'dropped a message posted on parentPort (threadvisor does not read it; talk to the actor through calls and casts, or use a MessageChannel of your own)');
    });
    this.#worker.on('error', (error: unknown) => {
      this.#drain();
      this.#die(reasonFromError(error));
    });
    this.#worker.on('exit', (code: number) => this.#onExit(code));
  }

  /** The worker's call names, as it reported them when it loaded. */
  get calls(): ReadonlySet<string> {
    return this.#calls;
  }

  /** The worker's cast names, as it reported them when it loaded. */
  get casts(): ReadonlySet<string> {
    return this.#casts;
  }

  /** The job handlers of a job handler module (`defineJobHandler`), as it reported them; `undefined` for a worker module. */
  get jobs(): JobHandlerTable | undefined {
    return this.#jobs;
  }

  /**
   * Routes the job outcomes the thread posts (`OP_JOB_RESULTS`) to `listener`: a pool's thread. Set it
   * before the first job is sent; outcomes read by a drain before a death reach it too, in order.
   */
  onJobResults(listener: (results: unknown[]) => void): void {
    this.#jobListener = listener;
  }

  /**
   * Starts the actor of a booted thread: sends `args` to `init` and waits for its answer. Resolves with the
   * running actor or `ignored`; rejects with `StartError` (after the thread is gone) if `args` cannot be
   * cloned, `init` throws or rejects, the thread dies, or `deadline` passes.
   *
   * @param self The actor's identity (`ctx.self`). @default the options' `self`, else its `name` or a generated id, incarnation 1
   */
  async startActor(args: unknown, deadline: number, self?: ActorSelf): Promise<StartOutcome> {
    if (this.#nextActorId !== 1) throw new Error('this thread has already started its actor');
    const actorId = await this.#postInit(args, self);
    return this.#awaitInit(actorId, deadline);
  }

  async #awaitLoaded(deadline: number): Promise<void> {
    const message = await this.#expect(deadline, 'load its module (which must call defineWorker() and export the result)');
    if (message[0] !== OP_LOADED) {
      throw await this.#failStart(message[0] === OP_LOAD_FAILED ? message[1] : unexpected(message, 'the module to load'));
    }
    this.#calls = new Set(message[1]);
    this.#casts = new Set(message[2]);
    this.#jobs = message[3];
  }

  /** Posts the actor's `init`; its identity is the one given, else the options', else a standalone one (the one place that default is decided). */
  async #postInit(args: unknown, self: ActorSelf = this.#settings.self ?? standaloneSelf(this.#settings)): Promise<number> {
    const actorId = this.#nextActorId++;
    this.#selves.set(actorId, self);
    try {
      this.post([OP_INIT, actorId, args, self, this.#settings.peers !== undefined]);
    } catch (error) {
      const cloneError = new DataCloneError('the init arguments', { cause: error });
      throw await this.#failStart(serializeError(cloneError), cloneError);
    }
    return actorId;
  }

  async #awaitInit(actorId: number, deadline: number): Promise<StartOutcome> {
    const message = await this.#expect(deadline, 'run init');
    switch (message[0]) {
      case OP_READY: {
        const actor = new ThreadActor(this, actorId, this.#settings.callTimeoutMs, this.#settings.logger, this.#selves.get(actorId));
        this.#selves.delete(actorId);
        this.#actors.set(actorId, actor);
        this.#initEndpoints.get(actorId)?.endWith(actor);
        this.#initEndpoints.delete(actorId);
        // init returned, then the thread died before this ran (both read in one drain): the actor
        // started and has already ended, as OTP reports an init that returned ok and then crashed.
        if (this.#reason !== undefined) actor.onThreadDeath(this.#reason);
        else this.#watchHeartbeat();
        return { status: 'started', actor };
      }
      case OP_IGNORED:
        await this.kill({ kind: 'normal' });
        return { status: 'ignored' };
      case OP_INIT_FAILED:
        throw await this.#failStart(message[2]);
      default:
        throw await this.#failStart(unexpected(message, 'init to answer'));
    }
  }

  /**
   * Posts a message to the thread, moving `transfer`'s objects instead of copying them; throws what
   * `postMessage` throws (a `DataCloneError` for uncloneable data).
   */
  post(message: HostMessage, transfer?: readonly Transferable[]): void {
    if (transfer === undefined) this.#port.postMessage(message);
    else this.#port.postMessage(message, transfer);
  }

  /**
   * Terminates the thread, recording `reason` unless the thread already has one (the first cause wins),
   * and resolves with its exit reason once it is gone. Also how an unused booted thread is disposed of.
   */
  kill(reason: ExitReason): Promise<ExitReason> {
    // What the thread posted before this decision is read first: a reply already here is not a casualty.
    if (this.#reason === undefined) this.#drain();
    this.#die(reason);
    this.#worker.terminate().then(undefined, (error: unknown) => {
      // terminate() only fails if the thread is already being torn down; its 'exit' still settles `exited`.
      this.#die(reasonFromError(error));
    });
    return this.exited;
  }

  /** Stops watching heartbeats (a timed stop is in charge from here). */
  pauseHeartbeat(): void {
    this.#heartbeat?.stop();
  }

  #watchHeartbeat(): void {
    if (this.#settings.heartbeatMs === false) return;
    this.#heartbeat = new HeartbeatMonitor(this.#settings.heartbeatMs, (silentMs) => {
      void this.kill({ kind: 'hung', missedMs: silentMs });
    });
    this.#heartbeat.start();
  }

  /**
   * Handles, in order and at once, every message the thread has posted that is still queued. Called
   * before a death is settled: the death may have overtaken them (see the file comment).
   */
  #drain(): void {
    for (let next = receiveMessageOnPort(this.#port); next !== undefined; next = receiveMessageOnPort(this.#port)) {
      this.#onMessage(next.message);
    }
  }

  #onMessage(value: unknown): void {
    // Only the thread runtime writes to this port; anything else is user code that found the port, or a
    // runtime of another make: dropped, but never silently.
    if (!isThreadMessage(value)) return this.#foreign(value);
    const message = value;
    switch (message[0]) {
      case OP_REPLY:
        this.#actors.get(message[1])?.onReply(message[2], message[3]);
        return;
      case OP_BEAT:
        this.#heartbeat?.beat();
        return;
      case OP_JOB_RESULTS:
        if (this.#jobListener !== undefined) return this.#jobListener(message[1]);
        return this.#foreign(value);
      case OP_FAIL:
        this.#actors.get(message[1])?.onFail(message[2], message[3], message[4]);
        return;
      case OP_EXIT: {
        const actor = this.#actors.get(message[1]);
        if (actor === undefined) return;
        this.#actors.delete(message[1]);
        actor.onExit(message[2], message[3]);
        // One actor per thread today: the thread ends itself with its last actor; terminating here too
        // makes sure of it even if user code holds the thread in a `process.on('exit')` handler.
        if (this.#actors.size === 0) void this.kill(message[2]);
        return;
      }
      case OP_CONNECT:
      case OP_MONITOR:
      case OP_DEMONITOR: {
        // Asked from `init`, before the actor is ready: a stand-in asks for it (an ended actor asks for nothing).
        const actor = this.#actors.get(message[1]) ?? this.#initEndpoint(message[1]);
        if (actor !== undefined) onPeerMessage(actor, message, this.#settings);
        return;
      }
      case OP_LOG:
        logFromThread(this.#settings.logger, this.threadId, message);
        return;
      case OP_LOADED:
      case OP_LOAD_FAILED:
      case OP_READY:
      case OP_INIT_FAILED:
      case OP_IGNORED:
        if (this.#waiter !== undefined) this.#waiter.settle({ message });
        else this.#handshake.push(message);
        return;
      default:
        return this.#foreign(value);
    }
  }

  #initEndpoint(actorId: number): InitEndpoint | undefined {
    if (!this.#selves.has(actorId) || this.#reason !== undefined) return undefined;
    let endpoint = this.#initEndpoints.get(actorId);
    if (endpoint === undefined) {
      endpoint = new InitEndpoint(actorId, this.#selves.get(actorId), (message, transfer) => this.post(message, transfer));
      this.#initEndpoints.set(actorId, endpoint);
    }
    return endpoint;
  }

  #foreign(value: unknown): void {
    const shape = Array.isArray(value) ? `an array starting with ${typeof value[0] === 'number' ? `unknown opcode ${value[0]}` : typeof value[0]}` : typeof value;
    this.#settings.logger.warn({ context: 'foreign_message', threadId: this.threadId, shape }, "dropped a message on threadvisor's protocol port that is not threadvisor's (user code must not post on it; talk to the actor through calls and casts)");
  }

  #die(reason: ExitReason): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#heartbeat?.stop();
    for (const actor of this.#actors.values()) actor.onThreadDeath(reason);
    for (const endpoint of this.#initEndpoints.values()) endpoint.end(reason);
    this.#initEndpoints.clear();
    this.#waiter?.settle({ death: reason });
  }

  #onExit(code: number): void {
    this.#drain();
    this.#die(reasonFromExitCode(code));
    this.#port.close();
    this.#settleExited(this.#reason as ExitReason);
  }

  /** Waits for the next handshake message; on death or timeout, tears the thread down and throws. */
  async #expect(deadline: number, what: string): Promise<ThreadMessage> {
    const outcome = await new Promise<WaitOutcome>((resolve) => {
      // What the thread said before it died comes before its death.
      const said = this.#handshake.shift();
      if (said !== undefined) {
        resolve({ message: said });
        return;
      }
      if (this.#reason !== undefined) {
        resolve({ death: this.#reason });
        return;
      }
      const timeoutMs = clampDelay(deadline - performance.now());
      const timer = setTimeout(() => this.#waiter?.settle({ timedOut: timeoutMs }), timeoutMs);
      this.#waiter = {
        settle: (result) => {
          clearTimeout(timer);
          this.#waiter = undefined;
          resolve(result);
        },
      };
    });
    if ('message' in outcome) return outcome.message;
    if ('timedOut' in outcome) {
      await this.kill({ kind: 'killed', afterMs: this.#settings.startTimeoutMs });
      throw new StartError(this.#settings.label, {
        name: 'StartTimeoutError',
        message: `the worker did not ${what} within the start timeout (${this.#settings.startTimeoutMs} ms)`,
      }, { threadId: this.threadId });
    }
    await this.exited;
    let error = this.#deathDuringStart(outcome.death, what);
    // A module that failed to parse before it loaded: put the file and line in the message (Node leaves
    // them out of an ES module's error altogether, and out of a CommonJS module's message).
    if (this.#calls === EMPTY) error = await withSyntaxLocation(error, this.#settings.url);
    throw new StartError(this.#settings.label, error, { threadId: this.threadId });
  }

  async #failStart(error: SerializedError, cause?: unknown): Promise<StartError> {
    await this.kill({ kind: 'normal' });
    return new StartError(this.#settings.label, error, cause === undefined ? { threadId: this.threadId } : { cause, threadId: this.threadId });
  }

  #deathDuringStart(reason: ExitReason, what: string): SerializedError {
    switch (reason.kind) {
      case 'error':
        return reason.error;
      case 'oom':
        return reason.error ?? { name: 'OutOfMemoryError', message: 'the thread hit its resourceLimits' };
      case 'normal':
      case 'exit': {
        const code = reason.kind === 'exit' ? reason.code : 0;
        if (this.#calls !== EMPTY) {
          return { name: 'ThreadExitedError', message: `the thread exited with code ${code} while it was trying to ${what}` };
        }
        // A module that calls defineWorker() gets an answer to the host once it has loaded; a thread that
        // ends cleanly without one ran out of work without it (process.exit(0) while loading is the rare other way).
        const module = this.#settings.url.href;
        return {
          name: 'ThreadExitedError',
          message: code === 0
            ? `${module} defines no worker: its thread ended without the module calling defineWorker() (or it called process.exit(0) while loading); a worker module must \`export default defineWorker({ ... })\``
            : `the thread exited with code ${code} while loading ${module}, before the module called defineWorker()`,
        };
      }
      default:
        return { name: 'ThreadExitedError', message: `the thread ended (${formatExitReason(reason)}) while trying to ${what}` };
    }
  }
}

function unexpected(message: ThreadMessage, waitingFor: string): SerializedError {
  return { name: 'ProtocolError', message: `unexpected message ${String(message[0])} while waiting for ${waitingFor}` };
}
