/**
 * The seam between supervision and wherever children run: interfaces only, no implementation. The
 * worker_threads host (`runtime/thread-host.ts`) and the test kit's simulated host (`testing/`) both
 * implement it, so neither side imports the other.
 */
import type { ActorSelf } from '../protocol/actor-context.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { PeerDirectory } from './peers.js';

/** How long a child may take to stop before it is terminated (OTP's `shutdown`). */
export type Shutdown = number | 'brutal_kill' | 'infinity';

/** Options for starting one worker actor in its own thread. */
export interface WorkerStartOptions {
  /** The worker module (a file URL or an absolute path) whose default export is `defineWorker(...)`. */
  module: string | URL;
  /** Passed to the worker's `init(args)`; must be structured-cloneable. */
  args?: unknown;
  /** The thread's name (shows in `threadName` inside the thread and in crash reports). */
  name?: string;
  /**
   * Who the actor is (`ctx.self` in the thread): a supervisor passes the child's path in its tree and
   * its incarnation. Without it: `{ path: name, incarnation: 1 }`, or a generated path when there is no
   * `name` (`counter.worker.js#3`).
   */
  self?: ActorSelf;
  /**
   * Where the actor's `ctx.ref` and `ctx.monitor` resolve names and paths: the tree's directory, which a
   * supervisor passes. Without it (`startWorker`) they throw `NoTreeError`.
   */
  peers?: PeerDirectory;
  /**
   * Passed to `new Worker()`; a heap past them ends the thread with an `oom` exit reason. Not a hard
   * guarantee: one huge allocation can abort the whole process (docs/workers.md).
   */
  resourceLimits?: import('node:worker_threads').ResourceLimits;
  /** Passed to `new Worker()` (`env`): an object of strings, or `SHARE_ENV` (any other symbol is refused). */
  env?: Record<string, string | undefined> | symbol;
  /** Passed to `new Worker()` (`execArgv`). */
  execArgv?: string[];
  /**
   * Heartbeat interval in ms; a thread that misses a beat for two intervals is `hung` and terminated.
   * `false` turns heartbeats off (a blocked thread is then never detected).
   * @default 1000
   */
  heartbeatMs?: number | false;
  /**
   * How long loading the module plus `init` may take before the start fails.
   * @default 30000
   */
  startTimeoutMs?: number;
  /**
   * Default timeout of each `call()`, overridable per call.
   * @default 5000
   */
  callTimeoutMs?: number;
}

/** Options of one `call()`. */
export interface CallOptions {
  /** Rejects the call with `CallTimeoutError` after this many ms. */
  timeoutMs?: number;
}

/**
 * The main-thread handle of one running actor incarnation. Untyped on purpose: typing by worker module
 * happens in the public refs, which all delegate here.
 */
export interface ActorHandle {
  /** The actor's id inside its thread (one actor per thread today; the protocol already carries it). */
  readonly actorId: number;
  /** The Node thread id of the thread hosting this actor. */
  readonly threadId: number;
  /** Settles exactly once, with the reason this incarnation ended. Never rejects. */
  readonly exited: Promise<ExitReason>;
  /** `true` until the incarnation has exited. */
  readonly alive: boolean;
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown>;
  cast(method: string, args: unknown[]): void;
  /**
   * Asks the actor to stop (its `terminate` runs), terminating the thread past `shutdown`.
   * Resolves with the exit reason; calling it again returns the same promise, except that a later
   * `brutal_kill` still terminates a stop in progress at once.
   */
  stop(reason?: ExitReason, options?: { shutdown?: Shutdown }): Promise<ExitReason>;
}

/** What starting a worker produced: a running actor, or `init` declined to start (OTP's `ignore`). */
export type StartOutcome = { status: 'started'; actor: ActorHandle } | { status: 'ignored' };

/**
 * The seam between supervision and threads: production uses worker_threads, the test kit a simulation,
 * and a later process host child processes. Starting rejects with `StartError` (never hangs).
 */
export interface ChildHost {
  start(options: WorkerStartOptions): Promise<StartOutcome>;
  /**
   * Says what is wrong with a worker module before anything starts (`null` when it can run it). Without
   * it, modules must be existing files (the worker_threads rule).
   */
  checkModule?(module: string | URL): string | null;
}
