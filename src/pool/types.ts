/**
 * The public types of a pool: its options, its typed `run`, what it reports (stats, events, threads).
 */
import type { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import type { Transferable } from 'node:worker_threads';
import type { BackoffOptions } from '../core/backoff.js';
import type { DeadLetter } from '../protocol/dead-letter.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { AnyJobs, JobArgs, JobName, JobResult } from '../protocol/job-definition.js';
import type { DeadLetterSink, PoolOptions } from '../core/child-spec.js';
import type { SerializedError } from '../protocol/serialized-error.js';

export type { DeadLetterSink, PoolOptions };

/** The options of a standalone pool (`startPool`). */
export interface StartPoolOptions<J = AnyJobs> extends PoolOptions<J> {
  /** Delay between replacements of threads that died on their own (not of a poison job); `false`: at once. @default false */
  backoff?: BackoffOptions | false;
  /** How long `stop()` lets running jobs finish before their threads are terminated, in ms. @default 5000 */
  shutdownMs?: number;
  /** Where the pool logs job failures, redeliveries, dead letters and thread deaths (with stacks). @default pino at level 'warn' */
  logger?: Logger;
}

/** The options of one `run()`, given as a last argument beyond the handler's declared parameters. */
export interface JobRunOptions {
  /** This job's timeout in ms (from `run()`, queue time included), instead of the pool's `jobTimeoutMs`. */
  timeoutMs?: number;
  /** Aborting it removes the job if queued, or aborts `ctx.signal` if running. */
  signal?: AbortSignal;
  /** Objects to transfer rather than copy (`ArrayBuffer`s, `MessagePort`s), as for `postMessage`. */
  transfer?: readonly Transferable[];
}

/** The arguments of `run(handler, ...)`: the handler's own, then optionally {@link JobRunOptions}. */
export type JobRunArgs<J, N extends JobName<J>> = JobArgs<J, N> | [...JobArgs<J, N>, JobRunOptions];

/** What a pool counts. Every submitted job ends in exactly one of the outcome counters. */
export interface PoolStats {
  /** Jobs handed to `run()` (refused ones included). */
  submitted: number;
  /** Jobs whose handler returned. */
  resolved: number;
  /** Jobs whose handler threw or rejected (`JobFailedError`), or returned a value that cannot be cloned. */
  failed: number;
  /** Jobs past their timeout (`JobTimeoutError`). */
  timedOut: number;
  /** Jobs whose signal aborted (`JobAbortedError`). */
  aborted: number;
  /** Jobs dead-lettered (`DeadLetteredError`). */
  deadLettered: number;
  /** Jobs refused or dropped by the pool: queue full, unknown handler, bad options, uncloneable arguments, pool stopped (`QueueFullError`, `UnknownMethodError`, `InvalidSpecError`, `DataCloneError`, `PoolStoppedError`). */
  rejected: number;
  /** Deliveries after the first (a job whose thread died, sent again). */
  redelivered: number;
  /** Jobs waiting for a thread now. */
  queued: number;
  /** Jobs running on a thread now. */
  running: number;
  /** Threads serving jobs now (a falling count is how operators see threads dying). */
  activeThreads: number;
  /** Threads being started now. */
  startingThreads: number;
  /** `true` while a booted spare thread is ready. */
  spareReady: boolean;
  /** Threads that died (or were terminated for a job that ignored its abort) and were not asked to stop. */
  threadDeaths: number;
  /** Dead letters dropped from the full in-memory box. */
  deadLettersDropped: number;
  /** Dead letters a callback or store failed to take (kept in memory). */
  deadLetterSinkErrors: number;
}

/** One thread of a pool, as `threads()` and `tree()` show it. */
export interface PoolThreadInfo {
  threadId: number;
  /** `busy` while it runs jobs; `spare` for the pre-booted one. */
  state: 'busy' | 'idle' | 'spare';
  /** Jobs it runs now. */
  jobs: number;
}

/** Which job an event is about. */
export interface JobEventRef {
  id: number;
  handler: string;
}

/** Every event a pool emits (on `pool.events`); `pool` is the pool's name. */
export interface PoolEvents {
  /** A handler threw or rejected; the thread keeps serving. */
  'job:failed': (event: { pool: string; job: JobEventRef; error: SerializedError; threadId: number }) => void;
  /** A job passed its timeout (`running`: it was on a thread, whose handler got the abort). */
  'job:timed_out': (event: { pool: string; job: JobEventRef; running: boolean }) => void;
  /** A job's signal aborted. */
  'job:aborted': (event: { pool: string; job: JobEventRef; running: boolean }) => void;
  /** A job whose thread died is sent again; `counted` is false when another job was the known culprit. */
  'job:redelivered': (event: { pool: string; job: JobEventRef; delivery: number; threadId: number; reason: ExitReason; counted: boolean }) => void;
  /** A job was dead-lettered. */
  'job:dead_lettered': (event: { pool: string; letter: DeadLetter }) => void;
  /** The in-memory box was full: its oldest letter was dropped. */
  'dead_letter:dropped': (event: { pool: string; letter: DeadLetter }) => void;
  /** A dead-letter callback threw or a store rejected; the letter is kept in memory. */
  'dead_letter:sink_failed': (event: { pool: string; letter: DeadLetter; error: SerializedError }) => void;
  /** A thread started serving (`promoted`: it was the spare). */
  'thread:started': (event: { pool: string; threadId: number; promoted: boolean }) => void;
  /**
   * A thread the pool did not ask to stop ended. `attributed`: jobs were running on it (their deliveries
   * carry the death); otherwise it counts toward the pool's restart intensity.
   */
  'thread:exited': (event: { pool: string; threadId: number; reason: ExitReason; attributed: boolean; jobs: number }) => void;
  /** An idle thread beyond `minThreads` was retired after `idleTimeoutMs`. */
  'thread:retired': (event: { pool: string; threadId: number }) => void;
  /** A thread failed to start (it counts toward the pool's restart intensity). */
  'thread:start_failed': (event: { pool: string; error: SerializedError }) => void;
  /** The pool ended: stopped (`shutdown`), or gave up past its restart intensity (`max_intensity`). */
  'pool:exited': (event: { pool: string; reason: ExitReason }) => void;
}

/** The name of a pool event. */
export type PoolEventName = keyof PoolEvents;

/** The in-memory dead letters of a pool. */
export interface DeadLetterBox {
  /** The letters held, oldest first (a copy: the box is not changed). */
  list(): DeadLetter[];
  /** Takes every letter out, oldest first (to retry or persist them). */
  drain(): DeadLetter[];
  /** How many letters are held. */
  readonly size: number;
}

/** What a caller of a pool uses, in a tree (`tree.pool(path)`) or standalone. */
export interface PoolRef<J = AnyJobs> {
  /**
   * Runs handler `handler` with `args` on one of the pool's threads and resolves to its result. The last
   * argument is taken as {@link JobRunOptions} when there is one more argument than the handler declares
   * and it is a plain object whose keys are only `timeoutMs`, `signal` and `transfer` (docs/pools.md).
   *
   * Rejects with `JobFailedError` (the handler threw), `DeadLetteredError`, `JobTimeoutError`,
   * `JobAbortedError`, `QueueFullError`, `PoolStoppedError`, `UnknownMethodError`, `InvalidSpecError`
   * (bad run options) or `DataCloneError` (arguments that cannot be sent); never throws.
   */
  run<N extends JobName<J>>(handler: N, ...args: JobRunArgs<J, N>): Promise<JobResult<J, N>>;
  /** The pool's counters now. */
  stats(): PoolStats;
  /** The pool's in-memory dead letters. */
  readonly deadLetters: DeadLetterBox;
}

/** A running pool. */
export interface Pool<J = AnyJobs> extends PoolRef<J> {
  /** The pool's name (its `name`, its path in a tree, or its module's file name). */
  readonly name: string;
  /** The pool's events. */
  readonly events: EventEmitter<PoolEvents>;
  /** Settles once the pool has ended, with why. Never rejects. */
  readonly exited: Promise<ExitReason>;
  /** Its threads now. */
  threads(): PoolThreadInfo[];
  /**
   * Drains, then stops: queued jobs reject with `PoolStoppedError`, running ones get up to the shutdown
   * timeout to finish, then the threads stop. Later `run`s reject with `PoolStoppedError`. Idempotent.
   */
  stop(): Promise<void>;
}
