/**
 * The pool engine: a queue of jobs, N threads running a job handler module, and the per-job boundary.
 *
 * Every job ends in exactly one of resolved, failed, timed out, aborted, dead-lettered or rejected
 * (`#settle` is the one place a job's promise settles, and it refuses a second time). The hot path
 * (run -> dispatch -> result) allocates one record and one promise per job: jobs queued in one tick go
 * to a thread in one message, results come back in one message per turn, deadlines share one timer.
 *
 * Attribution (docs/pools.md, "who killed the thread"): when a thread dies, every job running on it has
 * that delivery counted as failed, unless the pool itself terminated the thread because one job ignored
 * its abort (that job is the known culprit, the others are sent again uncounted). A job with a failed
 * delivery is a suspect: its next delivery runs alone on a thread, so from the second delivery on a
 * death names exactly one job, and an innocent job that shared a thread with a poison one succeeds
 * there. A job is dead-lettered once `maxDeliveries` of its deliveries ended in a death. Deaths with
 * jobs on the thread are the jobs' (they never escalate the pool); a thread that dies idle or fails to
 * start counts toward the pool's restart intensity (the core's `addRestart`), and past it the pool ends
 * `max_intensity`, which its supervisor handles like any child's crash.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import type { Transferable } from 'node:worker_threads';
import { attemptAfterRun, backoffDelay, type Backoff } from '../core/backoff.js';
import { addRestart } from '../core/restart-intensity.js';
import {
  DataCloneError, DeadLetteredError, JobAbortedError, JobFailedError, JobTimeoutError, PoolStoppedError, QueueFullError,
  StartError, UnknownMethodError, revive,
} from '../errors.js';
import type { DeadLetter, JobAttempt } from '../protocol/dead-letter.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import { formatExitReason } from '../protocol/exit-reason.js';
import { JOB_OK, JOB_THREW, OP_JOB_ABORT, OP_JOBS } from '../protocol/messages.js';
import { serializeError, type SerializedError } from '../protocol/serialized-error.js';
import type { Shutdown, WorkerStartOptions } from '../seams/child-host.js';
import { clampDelay } from '../runtime/settings.js';
import { ThreadHost } from '../runtime/thread-host.js';
import type { WorkerThread } from '../runtime/worker-thread.js';
import { DeadLetters } from './dead-letters.js';
import { Fifo } from './fifo.js';
import { assertRunOptions, takeRunOptions } from './run-args.js';
import type { DeadLetterSink, Pool, PoolEvents, PoolStats, PoolThreadInfo, JobRunOptions } from './types.js';

/** A pool's options, checked and completed (by `startPool` or the pool child adapter). */
export interface PoolSettings {
  /** How errors, events and logs name the pool. */
  name: string;
  /** `ctx.self.path` of its threads. */
  path: string;
  /** How each thread is started (`args` goes to the module's `init`). */
  worker: WorkerStartOptions;
  min: number;
  max: number;
  idleTimeoutMs: number;
  maxQueue: number;
  maxDeliveries: number;
  jobTimeoutMs: number;
  abortGraceMs: number;
  perThread: number;
  sink: DeadLetterSink | undefined;
  deadLetterCapacity: number;
  spare: boolean;
  maxRestarts: number;
  periodMs: number;
  backoff: Backoff | null;
  /** How long `stop()` lets running jobs finish by default. */
  shutdown: Shutdown;
  logger: Logger;
  random: () => number;
  /** The box of an earlier incarnation of the same pool child, so its letters survive the restart. */
  deadLetterBox?: DeadLetters;
}

const QUEUED = 0;
const RUNNING = 1;
const SETTLED = 2;

/** One submitted job, from `run()` to its one outcome. */
class JobRecord {
  state: typeof QUEUED | typeof RUNNING | typeof SETTLED = QUEUED;
  thread: PoolThread | undefined = undefined;
  deliveries = 0;
  /** Deliveries that ended in their thread's death, counted against `maxDeliveries`. */
  attempts: JobAttempt[] | undefined = undefined;
  startedAt = 0;
  /** The next time this job needs attention (its timeout, then its abort's grace); `Infinity` for none. */
  deadline = Infinity;
  /** `true` once its deadline is the abort's grace: past it, its thread is terminated. */
  inGrace = false;
  onAbort: (() => void) | undefined = undefined;
  resolve!: (value: unknown) => void;
  reject!: (error: Error) => void;

  constructor(
    readonly id: number,
    readonly index: number,
    readonly handler: string,
    readonly args: unknown[],
    readonly transfer: readonly Transferable[] | undefined,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {}

  get failures(): number {
    return this.attempts?.length ?? 0;
  }

  ref(): { id: number; handler: string } {
    return { id: this.id, handler: this.handler };
  }
}

/** One serving (or spare) thread and the jobs it runs. */
class PoolThread {
  readonly threadId: number;
  readonly startedAt = performance.now();
  readonly inflight = new Map<number, JobRecord>();
  /** Runs one suspect job alone: nothing else is sent to it meanwhile. */
  exclusive = false;
  /** Takes no new job until it is idle (a suspect waits for it). */
  draining = false;
  /** The pool asked it to stop: its exit is expected and counts toward nothing. */
  retiring = false;
  /** The job whose ignored abort made the pool terminate this thread. */
  killedFor: JobRecord | undefined = undefined;
  idleSince = performance.now();
  out: unknown[] = [];
  transfer: Transferable[] | undefined = undefined;

  constructor(readonly thread: WorkerThread) {
    this.threadId = thread.threadId;
  }
}

const ABORT_REASON = { name: 'AbortError', message: 'the job was aborted by its caller' };

/** The engine behind `startPool` and a `pool()` child. */
export class PoolEngine implements Pool {
  readonly name: string;
  readonly events = new EventEmitter<PoolEvents>();
  readonly deadLetters: DeadLetters;
  readonly exited: Promise<ExitReason>;
  readonly #s: PoolSettings;
  readonly #host: ThreadHost;
  #settleExited!: (reason: ExitReason) => void;
  #phase: 'starting' | 'running' | 'stopping' | 'exited' = 'starting';
  #exitReason: ExitReason | undefined;
  #stopping: Promise<void> | undefined;
  #stopTimer: NodeJS.Timeout | undefined;
  #names: readonly string[] = [];
  #arity: readonly number[] = [];
  readonly #index = new Map<string, number>();
  readonly #threads: PoolThread[] = [];
  #spare: PoolThread | undefined;
  #spareStarting = false;
  #starting = 0;
  /** Every thread alive (serving, spare, retiring): the pool has exited once all are gone. */
  readonly #alive = new Set<PoolThread>();
  readonly #queue = new Fifo<JobRecord>();
  /** Jobs with a failed delivery: each runs alone on a thread next. */
  readonly #suspects = new Fifo<JobRecord>();
  #nextJobId = 1;
  #incarnation = 0;
  #pumpQueued = false;
  readonly #pumpTask = (): void => this.#pump();
  readonly #timed = new Set<JobRecord>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #idleTimer: NodeJS.Timeout | undefined;
  #restarts: number[] = [];
  #attempt = 0;
  #replaceTimer: NodeJS.Timeout | undefined;
  readonly #stats: PoolStats = {
    submitted: 0, resolved: 0, failed: 0, timedOut: 0, aborted: 0, deadLettered: 0, rejected: 0, redelivered: 0,
    queued: 0, running: 0, activeThreads: 0, startingThreads: 0, spareReady: false, threadDeaths: 0,
    deadLettersDropped: 0, deadLetterSinkErrors: 0,
  };

  constructor(settings: PoolSettings) {
    this.#s = settings;
    this.name = settings.name;
    this.#host = new ThreadHost({ logger: settings.logger });
    this.exited = new Promise((resolve) => {
      this.#settleExited = resolve;
    });
    this.deadLetters = settings.deadLetterBox ?? new DeadLetters(settings.deadLetterCapacity, settings.sink);
    this.deadLetters.attach({
      dropped: (letter) => {
        this.#stats.deadLettersDropped += 1;
        this.#s.logger.error({ pool: this.name, deadLetter: letter }, `dead-letter box full (deadLetterCapacity ${this.#s.deadLetterCapacity}): dropped the oldest letter, job ${letter.job.id} ('${letter.job.handler}')`);
        this.#emit('dead_letter:dropped', { pool: this.name, letter });
      },
      sinkFailed: (letter, error, serialized) => {
        this.#stats.deadLetterSinkErrors += 1;
        this.#s.logger.error({ pool: this.name, err: error, job: letter.job.id }, `the dead-letter sink failed to take job ${letter.job.id}; the letter is kept in memory (pool.deadLetters)`);
        this.#emit('dead_letter:sink_failed', { pool: this.name, letter, error: serialized });
      },
    });
  }

  /**
   * Starts `max(1, min)` threads (one at least, to learn the module's handlers); resolves once all
   * serve. Rejects with `StartError` after stopping whatever it started: nothing is left half-started.
   */
  async start(): Promise<void> {
    const count = Math.max(1, this.#s.min);
    const started = await Promise.allSettled(Array.from({ length: count }, () => this.#bootThread()));
    const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) {
      this.#phase = 'exited';
      const reason: ExitReason = { kind: 'start_failed', error: serializeError(failure.reason) };
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? this.#retire(r.value) : undefined)));
      this.#exit(reason);
      throw failure.reason instanceof StartError ? failure.reason : new StartError(this.name, serializeError(failure.reason), { cause: failure.reason });
    }
    const threads = started.map((r) => (r as PromiseFulfilledResult<PoolThread>).value);
    const jobs = threads[0]!.thread.jobs!;
    this.#names = jobs.names;
    this.#arity = jobs.arity;
    jobs.names.forEach((name, i) => this.#index.set(name, i));
    for (const t of threads) this.#serve(t, false);
    this.#phase = 'running';
    this.#bootSpare();
    this.#armIdle();
  }

  run(handler: string, ...rest: unknown[]): Promise<never> {
    this.#stats.submitted += 1;
    if (this.#phase !== 'running') {
      this.#stats.rejected += 1;
      return Promise.reject(new PoolStoppedError(this.name, this.#exitReason ?? { kind: 'shutdown' }, 'the job was submitted after the stop'));
    }
    const index = this.#index.get(handler);
    if (index === undefined) {
      this.#stats.rejected += 1;
      return Promise.reject(new UnknownMethodError(handler, 'job handler', this.#names));
    }
    let options: JobRunOptions | undefined;
    try {
      options = takeRunOptions(rest, this.#arity[index]!);
      if (options !== undefined) assertRunOptions(options);
    } catch (error) {
      this.#stats.rejected += 1;
      return Promise.reject(error);
    }
    if (this.#stats.queued >= this.#s.maxQueue) {
      this.#stats.rejected += 1;
      return Promise.reject(new QueueFullError(this.name, this.#s.maxQueue));
    }
    const timeoutMs = options?.timeoutMs ?? this.#s.jobTimeoutMs;
    const job = new JobRecord(this.#nextJobId++, index, handler, rest, options?.transfer, options?.signal, timeoutMs);
    const promise = new Promise<never>((resolve, reject) => {
      job.resolve = resolve as (value: unknown) => void;
      job.reject = reject;
    });
    const signal = job.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.#stats.aborted += 1;
        job.state = SETTLED;
        job.reject(new JobAbortedError(job.ref(), signal.reason));
        return promise;
      }
      job.onAbort = () => this.#abort(job);
      signal.addEventListener('abort', job.onAbort, { once: true });
    }
    if (timeoutMs !== Infinity) this.#setDeadline(job, performance.now() + timeoutMs);
    this.#queue.push(job);
    this.#stats.queued += 1;
    this.#schedulePump();
    return promise;
  }

  stats(): PoolStats {
    return {
      ...this.#stats,
      activeThreads: this.#threads.length,
      startingThreads: this.#starting + (this.#spareStarting ? 1 : 0),
      spareReady: this.#spare !== undefined,
    };
  }

  threads(): PoolThreadInfo[] {
    const out: PoolThreadInfo[] = this.#threads.map((t) => ({ threadId: t.threadId, state: t.inflight.size > 0 ? 'busy' : 'idle', jobs: t.inflight.size }));
    if (this.#spare !== undefined) out.push({ threadId: this.#spare.threadId, state: 'spare', jobs: 0 });
    return out;
  }

  /** The ids of every thread the pool runs (serving and spare). */
  threadIds(): number[] {
    return [...this.#alive].map((t) => t.threadId);
  }

  stop(shutdownMs: Shutdown = this.#s.shutdown): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    if (this.#phase === 'exited') return (this.#stopping = this.exited.then(() => undefined));
    this.#phase = 'stopping';
    this.#exitReason = { kind: 'shutdown' };
    // Not the deadline timer: a running job's timeout, and the grace of a job that ignores its abort, still apply while draining.
    this.#clearGrowth();
    const reason: ExitReason = { kind: 'shutdown' };
    this.#rejectQueued(reason);
    if (this.#spare !== undefined) void this.#retire(this.#spare);
    this.#spare = undefined;
    for (const t of [...this.#threads]) if (this.#liveJobs(t) === 0) this.#dropServing(t);
    if (shutdownMs === 'brutal_kill') this.#killRunning(0);
    else if (shutdownMs !== 'infinity') {
      this.#stopTimer = setTimeout(() => this.#killRunning(shutdownMs), clampDelay(shutdownMs));
    }
    this.#maybeExit();
    return (this.#stopping = this.exited.then(() => undefined));
  }

  /** Ends the pool at once: every thread terminated, every pending job rejected with `PoolStoppedError`. */
  kill(afterMs: number): void {
    if (this.#phase === 'exited') return;
    if (this.#phase !== 'stopping') void this.stop('brutal_kill');
    // A supervisor's kill ends the child `killed` (what it reports for a worker it terminates).
    this.#exitReason = { kind: 'killed', afterMs };
    this.#killRunning(afterMs);
  }

  // ---- submission side ---------------------------------------------------------------------------

  #schedulePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    // One microtask: every run() of this tick lands in one message per thread.
    queueMicrotask(this.#pumpTask);
  }

  #pump(): void {
    this.#pumpQueued = false;
    if (this.#phase !== 'running') return;
    const now = Date.now();
    const touched: PoolThread[] = [];
    if (this.#suspects.length === 0) for (const t of this.#threads) t.draining = false;
    // Suspects first, each alone on an idle thread; when none is idle, one thread stops taking jobs until it is.
    while (this.#suspects.length > 0) {
      const idle = this.#threads.find((t) => t.inflight.size === 0 && !t.exclusive);
      if (idle === undefined) {
        if (!this.#threads.some((t) => t.draining)) {
          const least = this.#leastLoaded(true);
          if (least !== undefined) least.draining = true;
        }
        break;
      }
      const job = this.#suspects.shift()!;
      if (job.state !== QUEUED) continue;
      idle.draining = false;
      idle.exclusive = true;
      if (idle.out.length === 0) touched.push(idle);
      this.#dispatch(idle, job, now);
    }
    while (this.#queue.length > 0) {
      const t = this.#leastLoaded(false);
      if (t === undefined) break;
      const job = this.#queue.shift()!;
      if (job.state !== QUEUED) continue;
      if (t.out.length === 0) touched.push(t);
      this.#dispatch(t, job, now);
    }
    for (const t of touched) this.#send(t);
    this.#grow();
  }

  /** The serving thread with the fewest jobs that can take one more (`any`: ignore capacity). */
  #leastLoaded(any: boolean): PoolThread | undefined {
    let best: PoolThread | undefined;
    for (const t of this.#threads) {
      if (t.exclusive || t.draining || t.retiring) continue;
      if (!any && t.inflight.size >= this.#s.perThread) continue;
      if (best === undefined || t.inflight.size < best.inflight.size) best = t;
    }
    return best;
  }

  #dispatch(t: PoolThread, job: JobRecord, now: number): void {
    job.state = RUNNING;
    job.thread = t;
    job.deliveries += 1;
    job.startedAt = now;
    if (job.deliveries > 1) this.#stats.redelivered += 1;
    this.#stats.queued -= 1;
    this.#stats.running += 1;
    t.inflight.set(job.id, job);
    t.out.push(job.id, job.index, job.deliveries, job.args);
    if (job.transfer !== undefined && job.transfer.length > 0) (t.transfer ??= []).push(...job.transfer);
  }

  #send(t: PoolThread): void {
    if (t.out.length === 0) return;
    const out = t.out;
    const transfer = t.transfer;
    t.out = [];
    t.transfer = undefined;
    try {
      t.thread.post([OP_JOBS, out], transfer);
      return;
    } catch {
      // One job's arguments cannot be cloned, and a batch fails whole: send them one by one.
    }
    for (let i = 0; i < out.length; i += 4) {
      const job = t.inflight.get(out[i] as number)!;
      try {
        t.thread.post([OP_JOBS, out.slice(i, i + 4)], job.transfer);
      } catch (error) {
        t.inflight.delete(job.id);
        this.#stats.running -= 1;
        this.#stats.rejected += 1;
        this.#settle(job, new DataCloneError(`the arguments of job ${job.id} ('${job.handler}')`, { cause: error }));
      }
    }
    // Called from #pump: the freed slots are filled by the next pump, not by re-entering this one.
    if (t.inflight.size === 0) t.exclusive = false;
    this.#schedulePump();
  }

  // ---- results -----------------------------------------------------------------------------------

  #onResults(t: PoolThread, results: unknown[]): void {
    for (let i = 0; i < results.length; i += 3) {
      const job = t.inflight.get(results[i] as number);
      if (job === undefined) continue;
      t.inflight.delete(job.id);
      if (job.state !== RUNNING) {
        // It timed out or was aborted: its caller has its answer; the slot is free again.
        this.#untime(job);
        continue;
      }
      this.#stats.running -= 1;
      const status = results[i + 1];
      const value = results[i + 2];
      if (status === JOB_OK) {
        this.#stats.resolved += 1;
        this.#settle(job, undefined, value);
      } else {
        this.#stats.failed += 1;
        const error = value as SerializedError;
        if (status === JOB_THREW) {
          this.#s.logger.warn({ pool: this.name, job: job.ref(), threadId: t.threadId, err: revive(error) }, `job ${job.id} ('${job.handler}') failed: ${error.name}: ${error.message}`);
          this.#emit('job:failed', { pool: this.name, job: job.ref(), error, threadId: t.threadId });
          this.#settle(job, new JobFailedError({ ...job.ref(), args: job.args }, error));
        } else {
          this.#settle(job, new DataCloneError(`the result of job ${job.id} ('${job.handler}')`, { cause: revive(error) }));
        }
      }
    }
    this.#afterJobsLeft(t);
  }

  /** A thread has fewer jobs: it may serve a suspect, go idle, or let a stop finish. */
  #afterJobsLeft(t: PoolThread): void {
    if (t.inflight.size === 0) {
      t.exclusive = false;
      t.idleSince = performance.now();
      if (this.#phase === 'stopping') {
        this.#dropServing(t);
        this.#maybeExit();
        return;
      }
    }
    if (this.#phase === 'running') this.#pump();
  }

  /** Settles `job` exactly once: with `error`, or resolved with `value`. */
  #settle(job: JobRecord, error: Error | undefined, value?: unknown): void {
    job.state = SETTLED;
    this.#untime(job);
    if (job.onAbort !== undefined) job.signal!.removeEventListener('abort', job.onAbort);
    if (error === undefined) job.resolve(value);
    else job.reject(error);
  }

  // ---- timeouts and aborts -----------------------------------------------------------------------

  #abort(job: JobRecord): void {
    if (job.state === SETTLED) return;
    const running = job.state === RUNNING;
    this.#stats.aborted += 1;
    this.#emit('job:aborted', { pool: this.name, job: job.ref(), running });
    this.#end(job, new JobAbortedError(job.ref(), job.signal!.reason), ABORT_REASON);
  }

  #timeout(job: JobRecord): void {
    const running = job.state === RUNNING;
    this.#stats.timedOut += 1;
    this.#emit('job:timed_out', { pool: this.name, job: job.ref(), running });
    this.#end(job, new JobTimeoutError(job.ref(), job.timeoutMs), { name: 'TimeoutError', message: `the job did not finish within ${job.timeoutMs} ms` });
  }

  /**
   * Settles a timed-out or aborted job at once. A queued one is simply gone. A running one keeps its
   * thread's slot: its handler gets the abort, and has `abortGraceMs` to return before its thread is
   * terminated (the job is not redelivered: its caller has its answer).
   */
  #end(job: JobRecord, error: Error, threadReason: { name: string; message: string }): void {
    const t = job.thread;
    if (job.state === QUEUED) {
      this.#stats.queued -= 1;
      this.#settle(job, error);
      return;
    }
    this.#stats.running -= 1;
    this.#settle(job, error);
    if (t === undefined) return;
    try {
      t.thread.post([OP_JOB_ABORT, job.id, threadReason]);
    } catch (postError) {
      this.#s.logger.error({ pool: this.name, err: postError, threadId: t.threadId }, `could not send the abort of job ${job.id}`);
    }
    job.inGrace = true;
    this.#setDeadline(job, performance.now() + this.#s.abortGraceMs);
  }

  #setDeadline(job: JobRecord, at: number): void {
    job.deadline = at;
    this.#timed.add(job);
    if (at < this.#timerAt) this.#armTimer(at);
  }

  #untime(job: JobRecord): void {
    if (job.deadline === Infinity) return;
    job.deadline = Infinity;
    this.#timed.delete(job);
  }

  #armTimer(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, clampDelay(at - performance.now())));
  }

  /** The one timer's turn: times out what is due, terminates threads whose job ignored its abort. */
  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const due: JobRecord[] = [];
    let next = Infinity;
    for (const job of this.#timed) {
      if (job.deadline <= now) due.push(job);
      else if (job.deadline < next) next = job.deadline;
    }
    for (const job of due) {
      this.#timed.delete(job);
      job.deadline = Infinity;
      if (job.inGrace) this.#terminateFor(job);
      else if (job.state !== SETTLED) this.#timeout(job);
    }
    // Jobs put in grace by this sweep armed the timer themselves; keep the earliest.
    if (next < this.#timerAt) this.#armTimer(next);
  }

  /** `job` ignored its abort past the grace: its thread is terminated (the death is the job's). */
  #terminateFor(job: JobRecord): void {
    const t = job.thread;
    if (t === undefined || !t.inflight.has(job.id) || t.killedFor !== undefined) return;
    t.killedFor = job;
    this.#s.logger.warn({ pool: this.name, job: job.ref(), threadId: t.threadId }, `job ${job.id} ('${job.handler}') ignored its abort for ${this.#s.abortGraceMs} ms (abortGraceMs): terminating thread ${t.threadId}`);
    void t.thread.kill({ kind: 'killed', afterMs: this.#s.abortGraceMs });
  }

  // ---- threads -----------------------------------------------------------------------------------

  /** Boots a thread and runs the module's `init`; rejects with `StartError` (the thread gone). */
  async #bootThread(): Promise<PoolThread> {
    const deadline = performance.now() + (this.#s.worker.startTimeoutMs ?? 30_000);
    const thread = await this.#host.boot(this.#s.worker);
    if (thread.jobs === undefined) {
      await thread.kill({ kind: 'normal' });
      throw new StartError(this.name, {
        name: 'NotAJobModuleError',
        message: `${String(this.#s.worker.module)} defines a worker (defineWorker), not job handlers; a pool runs a module whose default export is defineJobHandler({ handlers })`,
      }, { threadId: thread.threadId });
    }
    this.#incarnation += 1;
    const outcome = await thread.startActor(this.#s.worker.args, deadline, { path: this.#s.path, incarnation: this.#incarnation });
    if (outcome.status !== 'started') throw new StartError(this.name, { name: 'StartIgnoredError', message: 'the thread declined to start' });
    const t = new PoolThread(thread);
    this.#alive.add(t);
    thread.onJobResults((results) => this.#onResults(t, results));
    void thread.exited.then((reason) => this.#onExit(t, reason));
    return t;
  }

  #serve(t: PoolThread, promoted: boolean): void {
    t.idleSince = performance.now();
    this.#threads.push(t);
    this.#emit('thread:started', { pool: this.name, threadId: t.threadId, promoted });
  }

  /** Takes `t` out of service and stops it; its exit is expected. */
  #retire(t: PoolThread): Promise<ExitReason> {
    t.retiring = true;
    this.#dropServing(t);
    return t.thread.kill({ kind: 'shutdown' });
  }

  #dropServing(t: PoolThread): void {
    const i = this.#threads.indexOf(t);
    if (i >= 0) this.#threads.splice(i, 1);
    if (this.#phase === 'stopping' && !t.retiring) {
      t.retiring = true;
      void t.thread.kill({ kind: 'shutdown' });
    }
  }

  #bootSpare(): void {
    if (!this.#s.spare || this.#phase !== 'running' || this.#spare !== undefined || this.#spareStarting) return;
    this.#spareStarting = true;
    this.#bootThread().then(
      (t) => {
        this.#spareStarting = false;
        if (this.#phase !== 'running') return void this.#retire(t);
        this.#spare = t;
        this.#grow();
      },
      (error: unknown) => {
        this.#spareStarting = false;
        this.#startFailed(error);
        this.#maybeExit();
      },
    );
  }

  /** Starts threads up to `minThreads`, and one more (up to `maxThreads`) while jobs wait and every thread is busy. */
  #grow(): void {
    if (this.#phase !== 'running' || this.#replaceTimer !== undefined) return;
    const have = this.#threads.length + this.#starting;
    let want = Math.max(this.#s.min, have);
    const waiting = this.#queue.length > 0 || this.#suspects.length > 0;
    if (waiting && this.#threads.every((t) => t.inflight.size > 0)) want = Math.min(this.#s.max, Math.max(want, this.#threads.length + 1));
    for (let n = have; n < want; n += 1) this.#addThread();
  }

  #addThread(): void {
    const spare = this.#spare;
    if (spare !== undefined) {
      this.#spare = undefined;
      this.#serve(spare, true);
      this.#bootSpare();
      this.#schedulePump();
      return;
    }
    this.#starting += 1;
    this.#bootThread().then(
      (t) => {
        this.#starting -= 1;
        if (this.#phase !== 'running') return void this.#retire(t);
        this.#serve(t, false);
        this.#schedulePump();
      },
      (error: unknown) => {
        this.#starting -= 1;
        this.#startFailed(error);
        this.#maybeExit();
      },
    );
  }

  #startFailed(error: unknown): void {
    if (this.#phase !== 'running') return;
    const serialized = error instanceof StartError ? error.error : serializeError(error);
    this.#s.logger.error({ pool: this.name, err: error }, `a thread of pool '${this.name}' failed to start: ${serialized.name}: ${serialized.message}`);
    this.#emit('thread:start_failed', { pool: this.name, error: serialized });
    this.#unattributed({ kind: 'start_failed', error: serialized }, undefined);
  }

  #onExit(t: PoolThread, reason: ExitReason): void {
    this.#alive.delete(t);
    const wasSpare = this.#spare === t;
    if (wasSpare) this.#spare = undefined;
    const i = this.#threads.indexOf(t);
    if (i >= 0) this.#threads.splice(i, 1);
    const jobs = [...t.inflight.values()];
    t.inflight.clear();
    // Settled jobs still in their abort's grace: the thread they held is gone, so is the grace.
    for (const job of jobs) if (job.state === SETTLED) this.#untime(job);
    const live = jobs.filter((j) => j.state === RUNNING);
    if (t.retiring && live.length === 0) {
      this.#maybeExit();
      return;
    }
    this.#stats.threadDeaths += 1;
    const attributed = jobs.length > 0;
    this.#s.logger.error(
      { pool: this.name, threadId: t.threadId, reason, jobs: jobs.map((j) => j.id), err: reason.kind === 'error' ? revive(reason.error) : undefined },
      `thread ${t.threadId} of pool '${this.name}' died (${formatExitReason(reason)}) with ${jobs.length} job(s) on it`,
    );
    this.#emit('thread:exited', { pool: this.name, threadId: t.threadId, reason, attributed, jobs: jobs.length });
    const now = Date.now();
    const culprit = t.killedFor;
    for (const job of live) {
      this.#stats.running -= 1;
      job.state = QUEUED;
      job.thread = undefined;
      this.#stats.queued += 1;
      if (culprit !== undefined) {
        // Another job was the known culprit: this one goes back first in line, its delivery not counted.
        this.#emit('job:redelivered', { pool: this.name, job: job.ref(), delivery: job.deliveries + 1, threadId: t.threadId, reason, counted: false });
        this.#queue.unshift(job);
        continue;
      }
      (job.attempts ??= []).push({ delivery: job.deliveries, threadId: t.threadId, startedAt: job.startedAt, endedAt: now, reason });
      if (job.failures >= this.#s.maxDeliveries) {
        this.#stats.queued -= 1;
        this.#deadLetter(job, now);
        continue;
      }
      this.#s.logger.warn({ pool: this.name, job: job.ref(), delivery: job.deliveries }, `redelivering job ${job.id} ('${job.handler}') alone on another thread (delivery ${job.deliveries} of ${this.#s.maxDeliveries} ended with its thread: ${formatExitReason(reason)})`);
      this.#emit('job:redelivered', { pool: this.name, job: job.ref(), delivery: job.deliveries + 1, threadId: t.threadId, reason, counted: true });
      this.#suspects.push(job);
    }
    if (this.#phase !== 'running') {
      this.#rejectQueued(this.#exitReason ?? { kind: 'shutdown' });
      this.#maybeExit();
      return;
    }
    if (!attributed) this.#unattributed(reason, t);
    else this.#replace(0, wasSpare);
    this.#schedulePump();
  }

  /** A death (or failed start) no job explains: it counts toward the pool's intensity, and its replacement waits the backoff. */
  #unattributed(reason: ExitReason, t: PoolThread | undefined): void {
    const verdict = addRestart(this.#restarts, performance.now(), this.#s.maxRestarts, this.#s.periodMs);
    this.#restarts = verdict.restarts;
    if (!verdict.allowed) {
      this.#crash({ kind: 'max_intensity', supervisor: this.name, maxRestarts: this.#s.maxRestarts, periodMs: this.#s.periodMs, lastReason: reason });
      return;
    }
    this.#attempt = attemptAfterRun(this.#s.backoff, this.#attempt, t?.startedAt, performance.now()) + 1;
    this.#replace(backoffDelay(this.#s.backoff, this.#attempt, this.#s.random), false);
  }

  #replace(delayMs: number, spare: boolean): void {
    const go = (): void => {
      this.#replaceTimer = undefined;
      if (spare) this.#bootSpare();
      this.#grow();
      this.#bootSpare();
    };
    if (delayMs <= 0) return go();
    if (this.#replaceTimer !== undefined) clearTimeout(this.#replaceTimer);
    this.#replaceTimer = setTimeout(go, clampDelay(delayMs));
  }

  #deadLetter(job: JobRecord, now: number): void {
    const letter: DeadLetter = { job: { id: job.id, handler: job.handler, args: job.args }, attempts: job.attempts ?? [], deadLetteredAt: now };
    this.#stats.deadLettered += 1;
    this.#s.logger.error({ pool: this.name, deadLetter: letter }, `job ${job.id} ('${job.handler}') dead-lettered: ${letter.attempts.length} deliveries ended with their thread's death`);
    this.#emit('job:dead_lettered', { pool: this.name, letter });
    this.deadLetters.put(letter);
    this.#settle(job, new DeadLetteredError(letter));
  }

  /** Idle threads beyond `minThreads` are retired after `idleTimeoutMs`; one timer checks them. */
  #armIdle(): void {
    if (this.#s.max <= this.#s.min || this.#idleTimer !== undefined) return;
    const every = Math.max(1, Math.ceil(this.#s.idleTimeoutMs / 2));
    this.#idleTimer = setInterval(() => {
      const now = performance.now();
      for (const t of [...this.#threads]) {
        if (this.#threads.length <= this.#s.min) break;
        if (t.inflight.size === 0 && now - t.idleSince >= this.#s.idleTimeoutMs) {
          void this.#retire(t);
          this.#emit('thread:retired', { pool: this.name, threadId: t.threadId });
        }
      }
    }, every);
    this.#idleTimer.unref();
  }

  // ---- ending ------------------------------------------------------------------------------------

  #liveJobs(t: PoolThread): number {
    return t.inflight.size;
  }

  #rejectQueued(reason: ExitReason): void {
    for (const fifo of [this.#suspects, this.#queue]) {
      for (const job of fifo.clear()) {
        if (job.state !== QUEUED) continue;
        this.#stats.queued -= 1;
        this.#stats.rejected += 1;
        this.#settle(job, new PoolStoppedError(this.name, reason, 'the job was still queued'));
      }
    }
  }

  /** Past the shutdown timeout: terminate threads still running jobs; those jobs reject. */
  #killRunning(afterMs: number): void {
    const reason = this.#exitReason ?? { kind: 'shutdown' };
    for (const t of [...this.#alive]) {
      for (const job of t.inflight.values()) {
        if (job.state !== RUNNING) continue;
        this.#stats.running -= 1;
        this.#stats.rejected += 1;
        this.#settle(job, new PoolStoppedError(this.name, reason, `the job was still running when the pool's threads were terminated (after ${afterMs} ms)`));
      }
      t.inflight.clear();
      t.retiring = true;
      void t.thread.kill({ kind: 'killed', afterMs });
    }
    this.#threads.length = 0;
  }

  /** Past the restart intensity: every job rejects, every thread ends, and the pool exits with `reason`. */
  #crash(reason: ExitReason): void {
    this.#s.logger.error({ pool: this.name, reason }, `pool '${this.name}' gives up: ${formatExitReason(reason)}`);
    this.#phase = 'stopping';
    this.#exitReason = reason;
    this.#clearTimers();
    this.#rejectQueued(reason);
    this.#killRunning(0);
    this.#spare = undefined;
    this.#maybeExit();
  }

  #maybeExit(): void {
    if (this.#phase !== 'stopping' || this.#alive.size > 0 || this.#starting > 0 || this.#spareStarting) return;
    this.#exit(this.#exitReason ?? { kind: 'shutdown' });
  }

  #exit(reason: ExitReason): void {
    this.#phase = 'exited';
    this.#exitReason = reason;
    this.#clearTimers();
    if (this.#stopTimer !== undefined) clearTimeout(this.#stopTimer);
    this.#emit('pool:exited', { pool: this.name, reason });
    this.#settleExited(reason);
  }

  #clearTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#clearGrowth();
  }

  /** The timers that add or retire threads. */
  #clearGrowth(): void {
    if (this.#idleTimer !== undefined) clearInterval(this.#idleTimer);
    if (this.#replaceTimer !== undefined) clearTimeout(this.#replaceTimer);
    this.#idleTimer = undefined;
    this.#replaceTimer = undefined;
  }

  /** Emits to user listeners; one that throws is contained and logged with its stack, never breaking the pool. */
  #emit<E extends keyof PoolEvents>(event: E, payload: Parameters<PoolEvents[E]>[0]): void {
    if (this.events.listenerCount(event) === 0) return;
    try {
      (this.events.emit as (e: string, p: unknown) => boolean)(event, payload);
    } catch (error) {
      this.#s.logger.error({ pool: this.name, event, err: error }, `a '${event}' listener of pool '${this.name}' threw`);
    }
  }
}
