import { clampDelay } from './settings.js';

/**
 * Time as the shell sees it: monotonic `now()` and timers. Production uses `performance.now()` and real
 * timers; the test kit passes a virtual clock so the same shell runs deterministically.
 */
export interface Clock {
  /** Monotonic milliseconds (never `Date.now()`: wall time jumps). */
  now(): number;
  /** Calls `fn` after `ms`; returns a handle for `clearTimer`. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  // Node fires a timer of more than 2^31-1 ms after 1 ms; a long backoff or timeout must not collapse.
  setTimer: (fn, ms) => setTimeout(fn, clampDelay(ms)),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
