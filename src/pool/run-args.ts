/**
 * How `run(handler, ...args)` tells a job's arguments from its options. A job's arguments are variadic,
 * so the rule is explicit: the last argument is the run options when there are more arguments than the
 * handler declares (its `length` after `ctx`, reported by the thread at load) and it is a plain object
 * whose keys are all among `timeoutMs`, `signal` and `transfer`. Anything else is an argument.
 */
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { specIssues } from '../options/issues.js';
import { render } from '../options/render.js';
import { callTimeoutMsRule } from '../options/rules.js';
import type { JobRunOptions } from './types.js';

const OPTION_KEYS: ReadonlySet<string> = new Set(['timeoutMs', 'signal', 'transfer']);

/** `true` for a plain object with at least one key, every key a run option's. */
function looksLikeOptions(value: unknown): value is JobRunOptions {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let keys = 0;
  for (const key in value) {
    if (!OPTION_KEYS.has(key)) return false;
    keys += 1;
  }
  return keys > 0;
}

/** The options among `rest` (see the file comment), or `undefined`; `rest` loses them. */
export function takeRunOptions(rest: unknown[], arity: number): JobRunOptions | undefined {
  if (rest.length <= arity || !looksLikeOptions(rest[rest.length - 1])) return undefined;
  return rest.pop() as JobRunOptions;
}

/** Checks run options; throws `InvalidSpecError` (`ERR_INVALID_SPEC`) naming each bad field. */
export function assertRunOptions(options: JobRunOptions): void {
  const issues: SpecIssue[] = [];
  const { timeoutMs, signal, transfer } = options;
  if (timeoutMs !== undefined) {
    const checked = callTimeoutMsRule.safeParse(timeoutMs);
    if (!checked.success) issues.push(...specIssues(checked.error.issues, timeoutMs).map((i) => ({ ...i, path: 'timeoutMs' })));
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    issues.push({ path: 'signal', message: `expected an AbortSignal; given ${render(signal)}` });
  }
  if (transfer !== undefined && !Array.isArray(transfer)) {
    issues.push({ path: 'transfer', message: `expected an array of transferable objects (ArrayBuffer, MessagePort...); given ${render(transfer)}` });
  }
  if (issues.length > 0) throw new InvalidSpecError('run options', issues);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function';
}
