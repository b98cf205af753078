import type { Clock } from '../seams/clock.js';
import { clampDelay } from './settings.js';

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  // Node fires a timer of more than 2^31-1 ms after 1 ms; a long backoff or timeout must not collapse.
  setTimer: (fn, ms) => setTimeout(fn, clampDelay(ms)),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
