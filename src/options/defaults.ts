/**
 * Every default of a spec or of worker options, written once. The schemas fill them in, the runtime and
 * the test kit read them from here, and the docs quote them (docs/supervisors.md, docs/workers.md).
 */

/** The longest delay a Node timer takes (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How deep supervisors may nest in one spec (the root is level 0); deeper specs are refused. */
export const MAX_NESTING = 100;

/** The defaults of worker options, shared by child specs and `startWorker`. */
export const WORKER_DEFAULTS = {
  /** Heartbeat interval, in ms. */
  heartbeatMs: 1000,
  /** Time to load the module and run `init`, in ms. */
  startTimeoutMs: 30_000,
  /** Default timeout of each call, in ms. */
  callTimeoutMs: 5000,
  /** How long a worker may take to stop before its thread is terminated, in ms (OTP's default). */
  shutdownMs: 5000,
} as const;

/** The defaults of a child spec, worker or supervisor. */
export const CHILD_DEFAULTS = {
  restart: 'permanent',
  significant: false,
  /** A worker's `shutdown`. */
  workerShutdown: WORKER_DEFAULTS.shutdownMs,
  /** A nested supervisor's `shutdown`: it waits for its subtree. */
  supervisorShutdown: 'infinity',
} as const;

/** The defaults of supervisor flags (Elixir's restart budget: 3 in 5000 ms). */
export const FLAG_DEFAULTS = {
  strategy: 'one_for_one',
  maxRestarts: 3,
  /** In ms. */
  periodMs: 5000,
  /** `false`: restart at once, as OTP. */
  backoff: false,
  autoShutdown: 'never',
  /** A dynamic supervisor's child limit. */
  maxChildren: Infinity,
} as const;

/** The defaults of backoff options. */
export const BACKOFF_DEFAULTS = {
  factor: 2,
  jitter: 0,
  /** In ms. */
  resetAfterMs: 30_000,
} as const;

/** `worker_threads.SHARE_ENV` (Node registers it under this global key), accepted as `env`. */
export const SHARE_ENV: symbol = Symbol.for('nodejs.worker_threads.SHARE_ENV');

/** The defaults of a pool (`startPool`, `pool()`); docs/pools.md quotes them. */
export const POOL_DEFAULTS = {
  /** Deliveries that may end in their thread's death before a job is dead-lettered. */
  maxDeliveries: 3,
  /** The queue bound is this many jobs per thread of `maxThreads` (so 4 threads queue 4096 jobs). */
  maxQueuePerThread: 1024,
  /** A job's default timeout, in ms: none. */
  jobTimeoutMs: Infinity,
  /** How long a handler may ignore its job's abort before its thread is terminated, in ms. */
  abortGraceMs: 1000,
  /** How long a thread beyond `minThreads` may stay idle before it is retired, in ms. */
  idleTimeoutMs: 30_000,
  /** Jobs sent to one thread at once (pipelining): more keeps a thread busy, fewer narrows who shares a death. */
  concurrentJobsPerThread: 64,
  /** Dead letters the in-memory box keeps; past it the oldest is dropped, counted and logged. */
  deadLetterCapacity: 1000,
  /** Keep one booted thread ready to replace a dead one at once. */
  spare: true,
  /** How long a standalone pool's `stop()` lets running jobs finish, in ms (a pool child uses its `shutdown`). */
  shutdownMs: WORKER_DEFAULTS.shutdownMs,
} as const;
