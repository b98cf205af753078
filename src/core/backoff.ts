import { z } from 'zod';

/**
 * Exponential backoff between restarts of one child (Akka's and Kubernetes' shape; OTP has none):
 * `delay(n) = min(maxMs, initialMs * factor^(n-1))`, spread by `jitter` but never past `maxMs`.
 */
export interface BackoffOptions {
  /** Delay before the first restart, in ms. */
  initialMs: number;
  /** The delay never grows past this, in ms (jitter included). */
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

/** The zod schema of {@link BackoffOptions}. */
export const backoffSchema = z
  .object({
    initialMs: z.number().finite().nonnegative(),
    maxMs: z.number().finite().nonnegative(),
    factor: z.number().finite().min(1).default(2),
    jitter: z.number().min(0).max(1).default(0),
    resetAfterMs: z.number().finite().positive().default(30_000),
  })
  .strict()
  .refine((b) => b.maxMs >= b.initialMs, {
    message: 'maxMs must be >= initialMs',
    path: ['maxMs'],
  });

/** The un-jittered delay before restart number `attempt` (1-based). */
export function baseDelay(backoff: Backoff, attempt: number): number {
  if (attempt < 1) return 0;
  const grown = backoff.initialMs * Math.pow(backoff.factor, attempt - 1);
  return Math.min(backoff.maxMs, grown);
}

/**
 * The delay before restart number `attempt`, in whole ms. `random` is consulted exactly once, and only
 * when `jitter > 0`, so a run without jitter never depends on the random source.
 */
export function backoffDelay(backoff: Backoff | null, attempt: number, random: () => number): number {
  if (backoff === null) return 0;
  const base = baseDelay(backoff, attempt);
  if (backoff.jitter === 0) return Math.round(base);
  const spread = base * (1 + backoff.jitter * (2 * random() - 1));
  return Math.round(Math.min(backoff.maxMs, Math.max(0, spread)));
}

/** The attempt number a crash at `now` starts from: back to 0 once the child ran `resetAfterMs`. */
export function attemptAfterRun(backoff: Backoff | null, attempt: number, startedAt: number | undefined, now: number): number {
  const resetAfterMs = backoff?.resetAfterMs ?? 30_000;
  if (startedAt !== undefined && now - startedAt >= resetAfterMs) return 0;
  return attempt;
}
