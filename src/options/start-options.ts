/**
 * The options of `startSupervisor`/`startDynamicSupervisor` (`{ logger, host, clock, random, tap,
 * reporters, observeCall }`) and the `logger` of `startWorker`/`ThreadHost`, checked before anything starts: each is
 * user code the tree will call later, so a wrong shape is refused now, naming what is missing, instead of
 * breaking (or stalling) a running tree.
 */
import { z } from 'zod';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { specIssues } from './issues.js';
import { render } from './render.js';
import { rule, strictObject, timerMs } from './rules.js';

/** The logger methods threadvisor calls; a pino logger has them all. */
export const LOGGER_METHODS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * What is wrong with a value given as a logger, in the grammar, or `null` when it has every method of
 * {@link LOGGER_METHODS}. Never throws (a getter that throws counts as a missing method).
 *
 * @example
 * loggerProblem({}) // "expected a pino-compatible logger with methods error, warn, info, debug; given an object without error, warn, info, debug"
 */
export function loggerProblem(value: unknown): string | null {
  const accepted = `expected a pino-compatible logger with methods ${LOGGER_METHODS.join(', ')}`;
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return `${accepted}; given ${render(value)}`;
  const missing = LOGGER_METHODS.filter((m) => !isMethod(value, m));
  return missing.length === 0 ? null : `${accepted}; given an object without ${missing.join(', ')}`;
}

function isMethod(value: object, name: string): boolean {
  try {
    return typeof (value as Record<string, unknown>)[name] === 'function';
  } catch {
    return false;
  }
}

/** Absent, or an object whose `methods` are all functions (a host, a clock). */
function withMethods(what: string, methods: readonly string[]): z.ZodType<unknown, unknown> {
  return rule<unknown>(`${what} with method${methods.length > 1 ? 's' : ''} ${methods.join(', ')}`, (v) =>
    v === undefined || ((typeof v === 'object' || typeof v === 'function') && v !== null && methods.every((m) => isMethod(v, m))));
}

/** Absent, or a function. */
const fn = (what: string) => rule<unknown>(what, (v) => v === undefined || typeof v === 'function');

/** A pino-compatible logger, or absent. */
export const loggerRule = z.unknown().superRefine((value, ctx) => {
  if (value === undefined) return;
  const problem = loggerProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

/** The rules of each start option, shared by the start options and `run()`'s options (which extend them). */
const startOptionsShape = {
  logger: loggerRule.optional(),
  host: withMethods('a child host', ['start']).optional(),
  clock: withMethods('a clock', ['now', 'setTimer', 'clearTimer']).optional(),
  random: fn('a function returning a number in [0, 1)').optional(),
  tap: fn('a function (path, report, now) => void').optional(),
  reporters: rule<unknown>('an array of report consumer functions', (v) => v === undefined || (Array.isArray(v) && v.every((c) => typeof c === 'function'))).optional(),
  observeCall: fn('a function (call) => void').optional(),
};

/** The zod schema of a tree's start options; every key optional, unknown keys refused with the closest known one. */
export const startOptionsSchema = strictObject(startOptionsShape, 'undefined or an object of start options (logger, host, clock, random, tap, reporters, observeCall)');

/** The default overall shutdown deadline of `run()`, in ms: under Kubernetes' default grace period of 30 s. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * The zod schema of `run()`'s options: the start options, plus `shutdownTimeoutMs` (whole ms from 1 to
 * 2^31-1), `onFatal` and `exit` (functions), `health` and `crashReports` (objects). Unknown keys are refused with the closest known one.
 */
export const runOptionsSchema = strictObject(
  {
    ...startOptionsShape,
    shutdownTimeoutMs: timerMs(1).optional(),
    onFatal: fn('a function (error, origin) => void').optional(),
    exit: fn('a function (code) => void').optional(),
    // Their own keys are checked by startHealthServer's and crashReporter's checks, before anything starts.
    health: rule<unknown>('health server options { port, host?, token?, registry?, criticalChildren?, ... }', (v) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v))).optional(),
    crashReports: rule<unknown>('crash reporter options { onCrash, windowMs?, ... }', (v) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v))).optional(),
  },
  'undefined or an object of run options (start options, shutdownTimeoutMs, onFatal, exit, health, crashReports)',
);

/** The zod schema of a `ThreadHost`'s options: `{ logger }`. */
export const threadHostOptionsSchema = strictObject({ logger: loggerRule.optional() }, 'undefined or an object of thread host options (logger)');

/**
 * Checks options that are `undefined` or an object following `schema` ({@link startOptionsSchema},
 * {@link threadHostOptionsSchema}); throws `InvalidSpecError` (`ERR_INVALID_SPEC`) with issues at
 * `options`, `options.logger`, ... naming `what` (`'start options'`).
 */
export function assertOptions(schema: z.ZodType, options: unknown, what: string): void {
  if (options === undefined) return;
  const result = schema.safeParse(options);
  if (result.success) return;
  throw new InvalidSpecError(what, prefix(specIssues(result.error.issues, options), 'options'));
}

/**
 * Throws `InvalidSpecError` (`ERR_INVALID_SPEC`, issue at `path`) unless `logger` is `undefined` or has
 * every method of {@link LOGGER_METHODS}.
 */
export function assertLogger(logger: unknown, path: string, what: string): void {
  if (logger === undefined) return;
  const problem = loggerProblem(logger);
  if (problem !== null) throw new InvalidSpecError(what, [{ path, message: problem }]);
}

function prefix(issues: SpecIssue[], root: string): SpecIssue[] {
  return issues.map((i) => ({ path: i.path === '' ? root : `${root}.${i.path}`, message: i.message }));
}
