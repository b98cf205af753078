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
