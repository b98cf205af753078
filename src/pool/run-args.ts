/**
 * How `run(handler, ...args)` tells a job's arguments from its options. A job's arguments are variadic,
 * so the rule is explicit: the last argument is the run options when there are more arguments than the
 * handler declares (its `length` after `ctx`, reported by the thread at load) and it is a plain object
 * whose keys are all among `timeoutMs`, `signal` and `transfer`. Anything else is an argument.
 */
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { specIssues } from '../options/issues.js';
import { render } from '../options/render.js';
import { callTimeoutMsRule, closest } from '../options/rules.js';
import type { JobRunOptions } from './types.js';

const OPTION_LIST = ['timeoutMs', 'signal', 'transfer'] as const;
const OPTION_KEYS: ReadonlySet<string> = new Set(OPTION_LIST);

/** `true` for a plain object with at least one key, every key a run option's. */
function looksLikeOptions(value: unknown): value is JobRunOptions {
  if (!isPlainObject(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (!OPTION_KEYS.has(key)) return false;
    keys += 1;
  }
  return keys > 0;
}

/**
 * The options among `rest` (see the file comment), or `undefined`; `rest` loses them. A trailing plain
 * object beyond the declared parameters with a key that is, or nearly is, a run option's but is not all
 * options (`{ timeoutMS: 200 }`) is refused: taken as an argument, a misspelt timeout would be silently
 * ignored and the job could hang forever.
 *
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) naming the key and the option it nearly is.
 */
export function takeRunOptions(rest: unknown[], arity: number): JobRunOptions | undefined {
  if (rest.length <= arity) return undefined;
  const last = rest[rest.length - 1];
  if (looksLikeOptions(last)) return rest.pop() as JobRunOptions;
  if (!isPlainObject(last)) return undefined;
  const keys = Object.keys(last);
  const near = keys.map((key) => (OPTION_KEYS.has(key) ? key : closest(key, OPTION_LIST))).filter((k) => k !== undefined);
  if (near.length === 0) return undefined;
  const issues: SpecIssue[] = keys.filter((key) => !OPTION_KEYS.has(key)).map((key) => {
    const option = closest(key, OPTION_LIST);
    return {
      path: key,
      message: `the last argument is beyond the handler's ${arity} declared parameter(s), so it is read as run options, which are only timeoutMs, signal and transfer; given unknown key '${key}'${option === undefined ? '' : ` (did you mean '${option}'?)`}. Data passed beyond the declared parameters that looks like options must be wrapped (e.g. { data })`,
    };
  });
  throw new InvalidSpecError('run options', issues);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
