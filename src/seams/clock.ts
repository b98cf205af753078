/**
 * Time as the shell sees it: monotonic `now()` and timers. Production uses `performance.now()` and real
 * timers (`realClock` in `runtime/clock.ts`); the test kit passes a virtual clock so the same shell runs
 * deterministically. An interface only: the seam between the shell and whatever keeps time.
 */
export interface Clock {
  /** Monotonic milliseconds (never `Date.now()`: wall time jumps). */
  now(): number;
  /** Calls `fn` after `ms`; returns a handle for `clearTimer`. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}
