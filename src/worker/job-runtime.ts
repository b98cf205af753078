/**
 * The runtime inside a pool's thread: loads the job handler module, runs its `init` once, then runs
 * jobs as they arrive in batches and posts their outcomes back in batches.
 *
 * The per-job boundary lives here: a handler that throws or rejects fails its own job (`JOB_THREW`
 * with the error and its stack) and the thread keeps serving, because a job handler keeps no state
 * between jobs (docs/pools.md). What escapes a job (an uncaught exception from a timer it left, an
 * unhandled rejection, `process.exit`, a heap past its limits) kills the thread, and the host
 * redelivers or dead-letters the jobs that were running on it.
 *
 * Outcomes of one turn leave in one message, posted from a macrotask (`setImmediate`) after the turn:
 * by then Node has processed the turn's unhandled rejections, so a job that leaves one behind kills its
 * thread while it is still running there, and is attributed (docs/pools.md, the attribution rule).
 *
 * A batch runs in slices of `SLICE_MS`: between slices the thread yields to its event loop, so its
 * heartbeat keeps beating and finished results leave, and a batch of innocent CPU-bound jobs is never
 * mistaken for a hung thread. Which job runs now is written to shared memory (`progress`), so when a
 * thread dies the host knows the job in a handler and the jobs that never started.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { BootData } from '../protocol/boot-data.js';
import type { JobContext, JobHandler, JobHandlerDefinition, JobInfo, PoolThreadContext } from '../protocol/job-definition.js';
import type { HostMessage, ThreadMessage } from '../protocol/messages.js';
import {
  JOB_IN_HANDLER, JOB_OK, JOB_STARTED, JOB_THREW, JOB_UNCLONEABLE, OP_EXIT, OP_INIT, OP_INIT_FAILED, OP_JOB_ABORT, OP_JOB_RESULTS, OP_JOBS,
  OP_LOADED, OP_READY, OP_STOP,
} from '../protocol/messages.js';
import { serializeError } from '../protocol/serialized-error.js';
import { createActorContext } from './actor-context.js';
import { isThenable } from './actor-runtime.js';
import { RUNTIME, crashOnUnhandledRejection, loadDefinition, raiseStackTraceLimit, startBeating } from './thread-runtime.js';

/** Installs the job runtime in this thread unless a runtime is already there. */
export function installJobRuntime(boot: BootData, port: MessagePort | null): void {
  const holder = globalThis as { [RUNTIME]?: unknown };
  if (holder[RUNTIME] !== undefined || port === null) return;
  raiseStackTraceLimit();
  holder[RUNTIME] = new JobRuntime(boot, port);
  process.on('unhandledRejection', crashOnUnhandledRejection);
}

/**
 * One job's context. A class with a lazy signal: most jobs never read `ctx.signal`, and an
 * AbortController per job would be most of a trivial job's cost.
 */
class Job implements JobContext {
  readonly self: ActorSelf;
  readonly job: JobInfo;
  #controller: AbortController | undefined;
  #abortedWith: { reason: unknown } | undefined;

  constructor(self: ActorSelf, id: number, delivery: number, handler: string) {
    this.self = self;
    this.job = { id, delivery, handler };
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortedWith !== undefined) this.#controller.abort(this.#abortedWith.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#abortedWith !== undefined) return;
    this.#abortedWith = { reason };
    this.#controller?.abort(reason);
  }
}

/** How long a batch runs before the thread yields to its event loop, in ms. */
const SLICE_MS = 10;

class JobRuntime {
  readonly #port: MessagePort;
  readonly #boot: BootData;
  #definition: JobHandlerDefinition<Record<string, JobHandler>> | undefined;
  #names: readonly string[] = [];
  #handlers: readonly JobHandler[] = [];
  #self: ActorSelf = { path: 'pool', incarnation: 1 };
  #earlyInit: { actorId: number; args: unknown; self: ActorSelf } | undefined;
  /** Jobs whose handler returned a promise: the only ones an abort can still reach. */
  readonly #pending = new Map<number, Job>();
  #out: unknown[] = [];
  #flushQueued = false;
  readonly #flush = (): void => this.#flushOut();
  /** Batches not run yet, oldest first, and where the first one resumes. */
  readonly #backlog: unknown[][] = [];
  #at = 0;
  #sliceQueued = false;
  readonly #continue = (): void => this.#drain();
  readonly #progress = new Int32Array(new SharedArrayBuffer(8));
  #started = 0;

  constructor(boot: BootData, port: MessagePort) {
    this.#boot = boot;
    this.#port = port;
    port.on('message', (message: unknown) => this.#onMessage(message));
    startBeating(port, boot.heartbeatMs);
    queueMicrotask(() => void this.#load());
  }

  #post(message: ThreadMessage): void {
    this.#port.postMessage(message);
  }

  async #load(): Promise<void> {
    const picked = await loadDefinition(this.#boot, (message) => this.#post(message), 'jobs');
    if (picked === undefined) return;
    const definition = picked as JobHandlerDefinition<Record<string, JobHandler>>;
    this.#definition = definition;
    this.#names = Object.keys(definition.handlers);
    this.#handlers = this.#names.map((name) => definition.handlers[name] as JobHandler);
    // `length - 1`: the declared parameters after ctx, which is how run() tells a job's last argument
    // from its options (docs/pools.md, "run options").
    const arity = this.#handlers.map((h) => Math.max(0, h.length - 1));
    // No calls or casts: a worker host that starts this module by mistake gets UnknownMethodError on every call.
    this.#post([OP_LOADED, [], [], { names: this.#names, arity, progress: this.#progress.buffer as SharedArrayBuffer }]);
    const early = this.#earlyInit;
    this.#earlyInit = undefined;
    if (early !== undefined) void this.#start(early.actorId, early.args, early.self);
  }

  #onMessage(message: unknown): void {
    if (!Array.isArray(message)) return;
    const m = message as unknown as HostMessage;
    switch (m[0]) {
      case OP_JOBS:
        this.#runBatch(m[1]);
        return;
      case OP_JOB_ABORT:
        this.#pending.get(m[1])?.abort(abortReason(m[2]));
        return;
      case OP_INIT:
        if (this.#definition === undefined) this.#earlyInit = { actorId: m[1], args: m[2], self: m[3] };
        else void this.#start(m[1], m[2], m[3]);
        return;
      case OP_STOP:
        // The host stops a pool's thread only once its jobs are done (or given up on).
        this.#post([OP_EXIT, m[1], m[2], 'stopped']);
        process.exit(0);
        return;
      default:
        return;
    }
  }

  async #start(actorId: number, args: unknown, self: ActorSelf): Promise<void> {
    const definition = this.#definition as JobHandlerDefinition;
    const ctx: PoolThreadContext = createActorContext(self);
    try {
      await definition.init?.(args, ctx);
    } catch (error) {
      this.#post([OP_INIT_FAILED, actorId, serializeError(error)]);
      return;
    }
    this.#self = ctx.self;
    this.#post([OP_READY, actorId]);
  }

  #runBatch(jobs: unknown[]): void {
    this.#backlog.push(jobs);
    if (!this.#sliceQueued) this.#drain();
  }

  /** Runs backlogged jobs in order for one slice; yields (and comes back) when the slice is used up. */
  #drain(): void {
    this.#sliceQueued = false;
    const until = performance.now() + SLICE_MS;
    while (this.#backlog.length > 0) {
      const jobs = this.#backlog[0]!;
      while (this.#at < jobs.length) {
        const i = this.#at;
        this.#at += 4;
        this.#run(jobs[i] as number, jobs[i + 1] as number, jobs[i + 2] as number, jobs[i + 3] as unknown[]);
        if (this.#at < jobs.length && performance.now() >= until) {
          this.#sliceQueued = true;
          setImmediate(this.#continue);
          return;
        }
      }
      this.#backlog.shift();
      this.#at = 0;
      if (this.#backlog.length > 0 && performance.now() >= until) {
        this.#sliceQueued = true;
        setImmediate(this.#continue);
        return;
      }
    }
  }

  #run(id: number, index: number, delivery: number, args: unknown[]): void {
    const handler = this.#handlers[index] as JobHandler;
    const ctx = new Job(this.#self, id, delivery, this.#names[index] as string);
    let result: unknown;
    const progress = this.#progress;
    const seq = ++this.#started;
    Atomics.store(progress, JOB_STARTED, seq);
    Atomics.store(progress, JOB_IN_HANDLER, seq);
    try {
      result = handler(ctx, ...args);
    } catch (error) {
      Atomics.store(progress, JOB_IN_HANDLER, 0);
      this.#finish(id, JOB_THREW, serializeError(error));
      return;
    }
    Atomics.store(progress, JOB_IN_HANDLER, 0);
    if (isThenable(result)) {
      this.#pending.set(id, ctx);
      result.then(
        (value) => {
          this.#pending.delete(id);
          this.#finish(id, JOB_OK, value);
        },
        (error: unknown) => {
          this.#pending.delete(id);
          this.#finish(id, JOB_THREW, serializeError(error));
        },
      );
    } else {
      this.#finish(id, JOB_OK, result);
    }
  }

  #finish(id: number, status: number, value: unknown): void {
    this.#out.push(id, status, value);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(this.#flush);
    }
  }

  #flushOut(): void {
    this.#flushQueued = false;
    const out = this.#out;
    this.#out = [];
    try {
      this.#post([OP_JOB_RESULTS, out]);
    } catch {
      // One result could not be cloned, and a batch fails whole: send them one by one, so only that job fails.
      for (let i = 0; i < out.length; i += 3) {
        try {
          this.#post([OP_JOB_RESULTS, [out[i], out[i + 1], out[i + 2]]]);
        } catch (error) {
          this.#post([OP_JOB_RESULTS, [out[i], JOB_UNCLONEABLE, serializeError(error)]]);
        }
      }
    }
  }
}

/**
 * The reason a job's signal aborts with: a `DOMException` named as the host said (`TimeoutError` for a
 * timeout, `AbortError` for the caller's abort), the same shape as `AbortSignal.timeout()`'s and `abort()`'s.
 */
function abortReason(sent: unknown): DOMException {
  const { name, message } = (sent ?? {}) as { name?: unknown; message?: unknown };
  return new DOMException(typeof message === 'string' ? message : 'the job was aborted', typeof name === 'string' ? name : 'AbortError');
}
