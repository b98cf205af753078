/** Counters of one supervision tree, all of its supervisors together. */
export interface SupervisionMetrics {
  /** Children started (first starts, manual starts and restarts). */
  childStarts: number;
  /** Automatic restarts that completed. */
  childRestarts: number;
  /** Children that exited abnormally on their own (crashes, hangs, OOMs, non-zero exits). */
  childCrashes: number;
  /** Starts that failed. */
  startFailures: number;
  /** Restart decisions (each may restart a group, after a backoff). */
  restartsScheduled: number;
  /** Times a supervisor's restart intensity was exceeded. */
  intensityExceeded: number;
  /** Children terminated past their shutdown timeout (`killed` on a requested stop). */
  shutdownKills: number;
  /** Children that failed while stopping (their `terminate` threw, they hung or ran out of memory). */
  shutdownErrors: number;
}

/** A fresh set of counters at zero. */
export function createMetrics(): SupervisionMetrics {
  return { childStarts: 0, childRestarts: 0, childCrashes: 0, startFailures: 0, restartsScheduled: 0, intensityExceeded: 0, shutdownKills: 0, shutdownErrors: 0 };
}
