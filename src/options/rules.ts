/**
 * The building blocks of every schema: each value rule carries its own message in the one grammar,
 * "expected <what is accepted>; given <what was given>", rendered by {@link render}.
 */
import { z } from 'zod';
import { MAX_TIMER_MS } from './defaults.js';
import { render } from './render.js';

/** The message of a rule: what it accepts, then the value it was given. */
export function expected(accepted: string): (issue: { input?: unknown }) => string {
  return (issue) => `expected ${accepted}; given ${render(issue.input)}`;
}

/**
 * A value that must pass `test`; one issue, in the grammar, whatever is wrong with it. The issue does not
 * abort its object, so checks across fields still run and every problem is reported in one pass.
 */
export function rule<T>(accepted: string, test: (value: unknown) => boolean): z.ZodType<T, T> {
  return z.unknown().refine(test, { error: expected(accepted) }) as unknown as z.ZodType<T, T>;
}

/** Whether `v` is a whole number within [min, max]. */
export function isWhole(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Whether `v` is a finite number within [min, max]. */
export function isFiniteIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/** Whether `v` is a finite number > 0. */
export function isPositiveFinite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** A timer delay in whole ms from `min` to 2^31-1 (Node's timer maximum). */
export function timerMs(min: 0 | 1): z.ZodType<number, number> {
  return rule<number>(`a whole number of ms from ${min} to ${MAX_TIMER_MS}`, (v) => isWhole(v, min, MAX_TIMER_MS));
}

/** A heartbeat interval: whole ms from 1 to 2^31-1, or `false` (no hang detection). */
export const heartbeatMsRule = rule<number | false>(
  `a whole number of ms from 1 to ${MAX_TIMER_MS}, or false`,
  (v) => v === false || isWhole(v, 1, MAX_TIMER_MS),
);

/**
 * A call timeout: whole ms from 1 to 2^31-1, or `Infinity` (calls never time out). Finite values are
 * capped at the timer maximum because a waiting call arms one timer for them.
 */
export const callTimeoutMsRule = rule<number>(
  `a whole number of ms from 1 to ${MAX_TIMER_MS}, or Infinity`,
  (v) => v === Infinity || isWhole(v, 1, MAX_TIMER_MS),
);

/** OTP's `shutdown`: whole ms from 0 to 2^31-1, `'brutal_kill'` or `'infinity'`. */
export const shutdownRule = rule<number | 'brutal_kill' | 'infinity'>(
  `a whole number of ms from 0 to ${MAX_TIMER_MS}, 'brutal_kill' or 'infinity'`,
  (v) => v === 'brutal_kill' || v === 'infinity' || isWhole(v, 0, MAX_TIMER_MS),
);

/** A non-empty string. */
export const nonEmptyString = rule<string>('a non-empty string', (v) => typeof v === 'string' && v.length > 0);

/** A string. */
export const stringRule = rule<string>('a string', (v) => typeof v === 'string');

/** A boolean. */
export const booleanRule = rule<boolean>('true or false', (v) => typeof v === 'boolean');

/**
 * An object that accepts only the keys of `shape`. An unknown key is reported as one issue that lists the
 * accepted keys and suggests the closest one (a misspelt `hearbeatMs` gets `did you mean 'heartbeatMs'?`).
 */
export function strictObject<S extends z.ZodRawShape>(shape: S, what: string): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeys(issue.keys, known);
      return `expected ${what}; given ${render(issue.input)}`;
    },
  });
}

function unknownKeys(keys: readonly string[], known: readonly string[]): string {
  const given = keys.map((k) => {
    const near = closest(k, known);
    return near === undefined ? `'${k}'` : `'${k}' (did you mean '${near}'?)`;
  });
  return `expected only the keys ${known.join(', ')}; given unknown key${keys.length > 1 ? 's' : ''} ${given.join(', ')}`;
}

/** The known key within two edits of `key`, if there is exactly one best. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance (keys are short). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
