import { z } from 'zod';
import { BACKOFF_DEFAULTS, MAX_TIMER_MS } from '../options/defaults.js';
import { render } from '../options/render.js';
import { isFiniteIn, isPositiveFinite, rule, strictObject } from '../options/rules.js';

/**
 * Exponential backoff between restarts of one child (Akka's and Kubernetes' shape; OTP has none):
 * `delay(n) = min(maxMs, initialMs * factor^(n-1))`, spread by `jitter` but never past `maxMs`.
 */
export interface BackoffOptions {
  /** Delay before the first restart, in ms (0 to 2^31-1). */
  initialMs: number;
  /** The delay never grows past this, in ms (jitter included; `initialMs` to 2^31-1). */
  maxMs: number;
  /** Growth per consecutive restart. @default 2 */
  factor?: number;
  /** Spread each delay by up to this fraction either way (0..1), capped at `maxMs`. @default 0 */
  jitter?: number;
  /** A child that has run this long without crashing starts its backoff from the beginning again. @default 30000 */
  resetAfterMs?: number;
}

/** Backoff options with every default filled in. */
export type Backoff = Required<BackoffOptions>;

const ms = rule<number>(`a number of ms from 0 to ${MAX_TIMER_MS}`, (v) => isFiniteIn(v, 0, MAX_TIMER_MS));

/** The zod schema of {@link BackoffOptions}: delays are timer delays, so at most 2^31-1 ms. */
export const backoffSchema = strictObject(
  {
    initialMs: ms,
    maxMs: ms,
    factor: rule<number>('a finite number >= 1', (v) => isFiniteIn(v, 1, Number.MAX_VALUE)).default(BACKOFF_DEFAULTS.factor),
    jitter: rule<number>('a number from 0 to 1', (v) => isFiniteIn(v, 0, 1)).default(BACKOFF_DEFAULTS.jitter),
    resetAfterMs: rule<number>('a finite number of ms > 0', isPositiveFinite).default(BACKOFF_DEFAULTS.resetAfterMs),
  },
  'an object with initialMs and maxMs (factor, jitter, resetAfterMs optional)',
).superRefine((b, ctx) => {
  // Runs even when other fields are wrong, so it checks its own inputs.
  if (typeof b.maxMs === 'number' && typeof b.initialMs === 'number' && b.maxMs < b.initialMs) {
    ctx.addIssue({ code: 'custom', path: ['maxMs'], input: b.maxMs, message: `expected a number of ms >= initialMs (${render(b.initialMs)}); given ${render(b.maxMs)}` });
  }
});

/** `backoff` where `false` turns it off: each bad field of an object is reported at its own path. */
export const backoffOrFalseSchema = z.union([backoffSchema, z.literal(false)], {
  error: (issue) => `expected false or an object with initialMs and maxMs (factor, jitter, resetAfterMs optional); given ${render(issue.input)}`,
});

/**
 * The un-jittered delay before restart number `attempt` (1-based), finite for every attempt count: a
 * delay that has reached `maxMs` stays there (no `0 * Infinity`, no overflow).
 */
export function baseDelay(backoff: Backoff, attempt: number): number {
  if (attempt < 1 || backoff.initialMs === 0) return 0;
  const grown = backoff.initialMs * Math.pow(backoff.factor, attempt - 1);
  return Number.isFinite(grown) ? Math.min(backoff.maxMs, grown) : backoff.maxMs;
}

/**
 * The delay before restart number `attempt`, in whole ms. `random` is consulted exactly once, and only
 * when `jitter > 0`, so a run without jitter never depends on the random source.
 */
export function backoffDelay(backoff: Backoff | null, attempt: number, random: () => number): number {
  if (backoff === null) return 0;
  const base = baseDelay(backoff, attempt);
  if (backoff.jitter === 0) return wholeMs(base, backoff.maxMs);
  const spread = base * (1 + backoff.jitter * (2 * random() - 1));
  // A random source outside [0, 1) must not push the delay out of range either.
  return wholeMs(Number.isFinite(spread) ? spread : base, backoff.maxMs);
}

/** `ms` rounded to whole ms within [0, maxMs] (rounding never carries a delay past `maxMs`). */
function wholeMs(ms: number, maxMs: number): number {
  return Math.min(Math.floor(maxMs), Math.max(0, Math.round(ms)));
}

/** The attempt number a crash at `now` starts from: back to 0 once the child ran `resetAfterMs`. */
export function attemptAfterRun(backoff: Backoff | null, attempt: number, startedAt: number | undefined, now: number): number {
  const resetAfterMs = backoff?.resetAfterMs ?? BACKOFF_DEFAULTS.resetAfterMs;
  if (startedAt !== undefined && now - startedAt >= resetAfterMs) return 0;
  return attempt;
}
