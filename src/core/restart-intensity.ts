/**
 * Restart intensity as OTP's `add_restart`: stamp the new restart, forget stamps older than the period,
 * and refuse when more than `maxRestarts` remain. Stamps are monotonic ms, and a stamp exactly `periodMs`
 * old still counts (OTP keeps `Now - T =< Period`).
 */
export interface IntensityVerdict {
  /** The stamps to keep (the new one included). */
  restarts: number[];
  /** `false` when this restart would exceed the intensity: the supervisor must give up instead. */
  allowed: boolean;
}

/** Adds a restart at `now` to `restarts` and says whether it is allowed. Does not mutate its input. */
export function addRestart(restarts: readonly number[], now: number, maxRestarts: number, periodMs: number): IntensityVerdict {
  const kept = restarts.filter((t) => now - t <= periodMs);
  kept.push(now);
  return { restarts: kept, allowed: kept.length <= maxRestarts };
}
