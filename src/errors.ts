/**
 * Every error threadvisor raises, each with a stable `code` (match on `code`, not on the message) and a
 * `cause` where something else caused it. Management results that OTP returns as `{error, Reason}`
 * (`not_found`, `running`, ...) are typed errors here too.
 */
import type { ExitReason } from './protocol/exit-reason.js';
import { formatExitReason } from './protocol/exit-reason.js';
import type { SerializedError } from './protocol/serialized-error.js';
import type { DeadLetter } from './protocol/dead-letter.js';

/** The stable codes of threadvisor's errors. */
export type ThreadvisorErrorCode =
  | 'ERR_INVALID_SPEC'
  | 'ERR_START_FAILED'
  | 'ERR_START_IGNORED'
  | 'ERR_ACTOR_CRASHED'
  | 'ERR_CALL_TIMEOUT'
  | 'ERR_CHILD_UNAVAILABLE'
  | 'ERR_UNKNOWN_METHOD'
  | 'ERR_DATA_CLONE'
  | 'ERR_ACTOR_STOPPED'
  | 'ERR_NOT_FOUND'
  | 'ERR_CHILD_KIND'
  | 'ERR_CHILD_RUNNING'
  | 'ERR_CHILD_RESTARTING'
  | 'ERR_ALREADY_PRESENT'
  | 'ERR_MAX_CHILDREN'
  | 'ERR_SUPERVISOR_STOPPED'
  | 'ERR_NOT_IN_WORKER'
  | 'ERR_HEALTH_SERVER'
  | 'ERR_CLI_USAGE'
  | 'ERR_TREE_MODULE'
  | 'ERR_JOB_FAILED'
  | 'ERR_DEAD_LETTERED'
  | 'ERR_QUEUE_FULL'
  | 'ERR_POOL_STOPPED'
  | 'ERR_JOB_TIMEOUT'
  | 'ERR_JOB_ABORTED'
  | 'ERR_CALL_CYCLE'
  | 'ERR_NO_TREE';

/**
 * The key of the brand every threadvisor error carries, in a non-enumerable property: the code of the
 * threadvisor class that made it (`null` for the base class itself). A global
 * symbol (`Symbol.for`), so the ESM and the CommonJS builds of the package, and the separate bundles of
 * its entry points, all read the same key: see {@link ThreadvisorError}'s `Symbol.hasInstance`.
 */
const BRAND: unique symbol = Symbol.for('threadvisor.error') as never;

/** The brand of `value` (its class's code, or `null`), or `undefined` when it is no threadvisor error. */
function brandOf(value: unknown): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return (value as { [BRAND]?: unknown })[BRAND];
}

/** The static `code` of the nearest of threadvisor's subclasses `ctor` is or extends; `undefined` for the base. */
function classCode(ctor: Function): unknown {
  for (let c: unknown = ctor; typeof c === 'function' && c !== ThreadvisorError; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'code')) return (c as unknown as { code: unknown }).code;
  }
  return undefined;
}

/**
 * Base class of every threadvisor error.
 *
 * `instanceof` works across copies of the package: one process can load both its ESM and its CommonJS
 * build (an ESM app with a CommonJS dependency that also uses threadvisor), and each holds its own
 * classes. An error from either copy is an instance of the other copy's `ThreadvisorError`, and of the
 * other copy's subclass with the same {@link ThreadvisorErrorCode} (each subclass has one, as the static
 * `code`). Your own subclasses keep the ordinary prototype check.
 *
 * @example
 * try { await ref.call('add', 1); }
 * catch (e) { if (e instanceof CallTimeoutError) console.warn(e.method, e.timeoutMs); else throw e; }
 */
export class ThreadvisorError extends Error {
  /** Stable: match on it, not on the message. */
  readonly code: ThreadvisorErrorCode;
  constructor(code: ThreadvisorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    // Non-enumerable, so it shows in no log, no JSON and no deep equality. Its value is the code of the
    // threadvisor class it was made by (null for the base), not `code`: a `new ThreadvisorError('ERR_NOT_FOUND')`
    // is no ChildNotFoundError in this copy, so it must be none in another either.
    Object.defineProperty(this, BRAND, { value: classCode(new.target) ?? null, enumerable: false, writable: false, configurable: false });
  }

  /**
   * `value instanceof X`: the ordinary prototype check, or else, for threadvisor's own classes, the
   * brand of another copy of the package: any branded error for `ThreadvisorError`, one made by the
   * subclass with the same static `code` (or a subclass of it) for a subclass. TypeScript still narrows
   * `instanceof` by the class (test/types/errors.types.ts).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const brand = brandOf(value);
    if (brand === undefined) return false;
    // `this` is the class on the right of `instanceof`: this copy's base takes any branded error, a
    // subclass only its own code. A user's subclass declares no own `code`, so it is never matched by brand.
    if (this === ThreadvisorError) return true;
    return Object.hasOwn(this, 'code') && (this as unknown as { code: unknown }).code === brand;
  }
}

/** One problem found in a spec or options object. */
export interface SpecIssue {
  /** Where, as a dotted path from the object handed in (`children.1.restart`). */
  path: string;
  /** What is wrong, including what is accepted and what was given. */
  message: string;
}

/** A spec or option handed to threadvisor is invalid; nothing was started. */
export class InvalidSpecError extends ThreadvisorError {
  /** The code of every InvalidSpecError: `'ERR_INVALID_SPEC'`. */
  static readonly code = 'ERR_INVALID_SPEC' as const;
  readonly issues: readonly SpecIssue[];
  constructor(what: string, issues: readonly SpecIssue[]) {
    const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n');
    super(InvalidSpecError.code, `invalid ${what}:\n${lines}`);
    this.issues = issues;
  }
}

/** A child (worker or supervisor) could not be started. `cause` holds what went wrong. */
export class StartError extends ThreadvisorError {
  /** The code of every StartError: `'ERR_START_FAILED'`. */
  static readonly code = 'ERR_START_FAILED' as const;
  /** The child's id, or the worker's name or module for a worker started on its own. */
  readonly child: string;
  /** The supervisor the child belongs to, when a supervisor was starting it. */
  readonly supervisor: string | undefined;
  /** The failure as it crossed the thread boundary (name, message and the worker's stack). */
  readonly error: SerializedError;
  /** The thread the start ran in, when one was spawned (crash logs name it, as they name a running child's). */
  readonly threadId: number | undefined;
  constructor(child: string, error: SerializedError, options?: { cause?: unknown; supervisor?: string; threadId?: number }) {
    const who = options?.supervisor === undefined ? child : `child '${child}' of supervisor '${options.supervisor}'`;
    super(StartError.code, `failed to start ${who}: ${error.name}: ${error.message}`, {
      cause: options?.cause ?? revive(error),
    });
    this.child = child;
    this.supervisor = options?.supervisor;
    this.error = error;
    this.threadId = options?.threadId;
  }
}

/** A standalone worker's `init` returned `ignore()`: it declined to start, so there is no actor to return. */
export class StartIgnoredError extends ThreadvisorError {
  /** The code of every StartIgnoredError: `'ERR_START_IGNORED'`. */
  static readonly code = 'ERR_START_IGNORED' as const;
  /** The worker's name, or its module. */
  readonly child: string;
  constructor(child: string) {
    super(StartIgnoredError.code, `${child} declined to start (its init returned ignore())`);
    this.child = child;
  }
}

/**
 * A call or cast that never reached the actor: it was refused at the caller because the actor had already
 * ended (or was stopping). Its handler did not run, so the message is safe to send again elsewhere.
 */
export interface Undelivered {
  /** What was refused. */
  kind: 'call' | 'cast';
  /** `true` while the actor is still stopping (a stop was asked for and has not completed). */
  stopping?: boolean;
}

/**
 * The actor crashed while the call was in flight (or crashed because of it); or, with `delivered` false,
 * it had crashed before the call or cast was made, which was then never sent.
 */
export class ActorCrashedError extends ThreadvisorError {
  /** The code of every ActorCrashedError: `'ERR_ACTOR_CRASHED'`. */
  static readonly code = 'ERR_ACTOR_CRASHED' as const;
  readonly reason: ExitReason;
  /** `false` when the call or cast was refused without reaching the actor (it had already crashed). */
  readonly delivered: boolean;
  constructor(reason: ExitReason, method?: unknown, undelivered?: Undelivered) {
    // String(): an untyped caller's method may be a Symbol, which a template literal would throw on.
    const name = method === undefined ? undefined : String(method);
    const message = undelivered === undefined
      ? `${name === undefined ? 'actor crashed' : `actor crashed during call '${name}'`}: ${formatExitReason(reason)}`
      : `${undelivered.kind} '${name ?? '?'}' was not delivered: the actor has crashed, reason: ${formatExitReason(reason)}`;
    super(ActorCrashedError.code, message, {
      cause: reason.kind === 'error' ? revive(reason.error) : undefined,
    });
    this.reason = reason;
    this.delivered = undelivered === undefined;
  }
}

/**
 * The actor stopped in an orderly way while the call was in flight; or, with `delivered` false, it had
 * stopped (or was stopping) when the call or cast was made, which was then never sent.
 */
export class ActorStoppedError extends ThreadvisorError {
  /** The code of every ActorStoppedError: `'ERR_ACTOR_STOPPED'`. */
  static readonly code = 'ERR_ACTOR_STOPPED' as const;
  readonly reason: ExitReason;
  /** `false` when the call or cast was refused without reaching the actor (it had stopped or was stopping). */
  readonly delivered: boolean;
  constructor(reason: ExitReason, method?: unknown, undelivered?: Undelivered) {
    const name = method === undefined || method === '' ? undefined : String(method);
    const message = undelivered === undefined
      ? `actor stopped${name === undefined ? '' : ` before answering '${name}'`}: ${formatExitReason(reason)}`
      : `${undelivered.kind} '${name ?? '?'}' was not delivered: the actor ${undelivered.stopping === true ? 'is stopping' : 'has stopped'}, reason: ${formatExitReason(reason)}`;
    super(ActorStoppedError.code, message);
    this.reason = reason;
    this.delivered = undelivered === undefined;
  }
}

/** The call got no reply within its timeout. The actor keeps running; a late reply is dropped and logged. */
export class CallTimeoutError extends ThreadvisorError {
  /** The code of every CallTimeoutError: `'ERR_CALL_TIMEOUT'`. */
  static readonly code = 'ERR_CALL_TIMEOUT' as const;
  readonly method: string;
  readonly timeoutMs: number;
  constructor(method: unknown, timeoutMs: number) {
    const name = String(method);
    super(CallTimeoutError.code, `call '${name}' got no reply within ${timeoutMs} ms`);
    this.method = name;
    this.timeoutMs = timeoutMs;
  }
}

/** The child had no running incarnation (restarting, stopped or gone) for the whole call timeout. */
export class ChildUnavailableError extends ThreadvisorError {
  /** The code of every ChildUnavailableError: `'ERR_CHILD_UNAVAILABLE'`. */
  static readonly code = 'ERR_CHILD_UNAVAILABLE' as const;
  readonly child: string;
  /** Why, without the child's name (what follows "is unavailable: " in the message). */
  readonly detail: string;
  /** The call timeout the caller set (ms), when the call waited it out; `undefined` when it failed at once. */
  readonly timeoutMs: number | undefined;
  constructor(child: string, detail: string, options?: { cause?: unknown; timeoutMs?: number }) {
    super(ChildUnavailableError.code, `child '${child}' is unavailable: ${detail}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.child = child;
    this.detail = detail;
    this.timeoutMs = options?.timeoutMs;
  }
}

/** The worker has no call or cast handler by that name (or a pool's module no job handler); the actor (or pool) is untouched. */
export class UnknownMethodError extends ThreadvisorError {
  /** The code of every UnknownMethodError: `'ERR_UNKNOWN_METHOD'`. */
  static readonly code = 'ERR_UNKNOWN_METHOD' as const;
  readonly method: string;
  constructor(method: unknown, kind: 'call' | 'cast' | 'job handler', known: readonly string[]) {
    // Untyped callers can pass anything as a method name (a Symbol, a number): name it, never throw here.
    const name = typeof method === 'string' ? method : String(method);
    super(UnknownMethodError.code, `unknown ${kind} '${name}'; the ${kind === 'job handler' ? 'module' : 'worker'} defines: ${known.length ? known.join(', ') : '(none)'}`);
    this.method = name;
  }
}

/** Arguments (or a reply) could not be structured-cloned across the thread boundary. */
export class DataCloneError extends ThreadvisorError {
  /** The code of every DataCloneError: `'ERR_DATA_CLONE'`. */
  static readonly code = 'ERR_DATA_CLONE' as const;
  constructor(what: string, options?: { cause?: unknown }) {
    super(DataCloneError.code, `${what} cannot be sent between threads (structured clone failed)`, options);
  }
}

/** No child with that id in the supervisor. */
export class ChildNotFoundError extends ThreadvisorError {
  /** The code of every ChildNotFoundError: `'ERR_NOT_FOUND'`. */
  static readonly code = 'ERR_NOT_FOUND' as const;
  readonly child: string;
  /** The supervisor that was asked, when known. */
  readonly supervisor: string | undefined;
  constructor(child: string, options?: { supervisor?: string }) {
    super(ChildNotFoundError.code, `no child '${child}' in ${options?.supervisor === undefined ? 'this supervisor' : `supervisor '${options.supervisor}'`}`);
    this.child = child;
    this.supervisor = options?.supervisor;
  }
}

/** A path names a child of another kind than the operation needs (a worker where a supervisor was expected). */
export class ChildKindError extends ThreadvisorError {
  /** The code of every ChildKindError: `'ERR_CHILD_KIND'`. */
  static readonly code = 'ERR_CHILD_KIND' as const;
  /** The path, as given. */
  readonly child: string;
  /** What the operation needs: `'a supervisor'` or `'a dynamic supervisor'`. */
  readonly expected: string;
  /** What the path names: `'a worker'`, `'a supervisor'` or `'a dynamic supervisor'`. */
  readonly given: string;
  constructor(child: string, expected: string, given: string) {
    super(ChildKindError.code, `expected '${child}' to be ${expected}; given ${given}`);
    this.child = child;
    this.expected = expected;
    this.given = given;
  }
}

/** The operation needs a stopped child, but it is running. */
export class ChildRunningError extends ThreadvisorError {
  /** The code of every ChildRunningError: `'ERR_CHILD_RUNNING'`. */
  static readonly code = 'ERR_CHILD_RUNNING' as const;
  readonly child: string;
  constructor(child: string) {
    super(ChildRunningError.code, `child '${child}' is running`);
    this.child = child;
  }
}

/** The operation needs a stopped child, but it is waiting for a restart. */
export class ChildRestartingError extends ThreadvisorError {
  /** The code of every ChildRestartingError: `'ERR_CHILD_RESTARTING'`. */
  static readonly code = 'ERR_CHILD_RESTARTING' as const;
  readonly child: string;
  constructor(child: string) {
    super(ChildRestartingError.code, `child '${child}' is restarting`);
    this.child = child;
  }
}

/** `startChild` with an id the supervisor already holds. */
export class AlreadyPresentError extends ThreadvisorError {
  /** The code of every AlreadyPresentError: `'ERR_ALREADY_PRESENT'`. */
  static readonly code = 'ERR_ALREADY_PRESENT' as const;
  readonly child: string;
  constructor(child: string) {
    super(AlreadyPresentError.code, `a child with id '${child}' is already present`);
    this.child = child;
  }
}

/** A dynamic supervisor already runs `maxChildren` children. */
export class MaxChildrenError extends ThreadvisorError {
  /** The code of every MaxChildrenError: `'ERR_MAX_CHILDREN'`. */
  static readonly code = 'ERR_MAX_CHILDREN' as const;
  constructor(max: number) {
    super(MaxChildrenError.code, `the supervisor already runs its maximum of ${max} children`);
  }
}

/** The supervisor has stopped (or is stopping) and takes no more requests. */
export class SupervisorStoppedError extends ThreadvisorError {
  /** The code of every SupervisorStoppedError: `'ERR_SUPERVISOR_STOPPED'`. */
  static readonly code = 'ERR_SUPERVISOR_STOPPED' as const;
  constructor(name: string, reason?: ExitReason) {
    super(SupervisorStoppedError.code, `supervisor '${name}' has stopped${reason ? `: ${formatExitReason(reason)}` : ''}`);
  }
}

/** A worker-side API was used outside a worker thread started by threadvisor. */
export class NotInWorkerError extends ThreadvisorError {
  /** The code of every NotInWorkerError: `'ERR_NOT_IN_WORKER'`. */
  static readonly code = 'ERR_NOT_IN_WORKER' as const;
  constructor(what: string) {
    super(NotInWorkerError.code, `${what} can only be used inside a worker thread started by threadvisor`);
  }
}

/** The health server could not listen (the port is taken, the address is not local...). `cause` is Node's error. */
export class HealthServerError extends ThreadvisorError {
  /** The code of every HealthServerError: `'ERR_HEALTH_SERVER'`. */
  static readonly code = 'ERR_HEALTH_SERVER' as const;
  /** The host it tried to listen on. */
  readonly host: string;
  /** The port it tried to listen on (0: any free port). */
  readonly port: number;
  constructor(host: string, port: number, options?: { cause?: unknown }) {
    const why = (options?.cause as { code?: unknown } | undefined)?.code;
    super(HealthServerError.code, `the health server could not listen on ${host}:${port}${typeof why === 'string' ? ` (${why})` : ''}`, options);
    this.host = host;
    this.port = port;
  }
}

/**
 * The `threadvisor` command line was given arguments it does not accept (an unknown command or option,
 * a missing or malformed value). The CLI prints the message and a usage hint and exits 64 (EX_USAGE).
 */
export class CliUsageError extends ThreadvisorError {
  /** The code of every CliUsageError: `'ERR_CLI_USAGE'`. */
  static readonly code = 'ERR_CLI_USAGE' as const;
  constructor(message: string) {
    super(CliUsageError.code, message);
  }
}

/**
 * `threadvisor run <module>` could not get a tree spec from the module: it failed to load, or exports
 * neither a default nor a `spec` that is a spec (or a function returning one). The CLI exits 66
 * (EX_NOINPUT). `cause` holds the loader's error, when there was one.
 */
export class TreeModuleError extends ThreadvisorError {
  /** The code of every TreeModuleError: `'ERR_TREE_MODULE'`. */
  static readonly code = 'ERR_TREE_MODULE' as const;
  /** The module, as given on the command line. */
  readonly module: string;
  constructor(module: string, detail: string, options?: { cause?: unknown }) {
    super(TreeModuleError.code, `cannot run '${module}': ${detail}`, options);
    this.module = module;
  }
}

/** Which job an error is about: its id in the pool and its handler's name (what `ctx.job` showed the handler). */
export interface JobRef {
  id: number;
  handler: string;
}

/**
 * A pool job's handler threw or rejected (an expected failure, Layer 1): that job failed, its thread
 * keeps serving. `error` is the handler's error as it crossed the thread boundary (name, message, stack);
 * `cause` is it revived.
 */
export class JobFailedError extends ThreadvisorError {
  /** The code of every JobFailedError: `'ERR_JOB_FAILED'`. */
  static readonly code = 'ERR_JOB_FAILED' as const;
  readonly job: JobRef & { args: readonly unknown[] };
  readonly error: SerializedError;
  constructor(job: JobRef & { args: readonly unknown[] }, error: SerializedError) {
    super(JobFailedError.code, `job ${job.id} ('${job.handler}') failed: ${error.name}: ${error.message}`, { cause: revive(error) });
    this.job = job;
    this.error = error;
  }
}

/**
 * A pool job killed the thread running it on each of its `maxDeliveries` deliveries and was set aside
 * as a dead letter (a poison job). `deadLetter` holds the job and each attempt's exit reason.
 */
export class DeadLetteredError extends ThreadvisorError {
  /** The code of every DeadLetteredError: `'ERR_DEAD_LETTERED'`. */
  static readonly code = 'ERR_DEAD_LETTERED' as const;
  readonly deadLetter: DeadLetter;
  constructor(deadLetter: DeadLetter) {
    const last = deadLetter.attempts[deadLetter.attempts.length - 1];
    super(DeadLetteredError.code, `job ${deadLetter.job.id} ('${deadLetter.job.handler}') was dead-lettered after ${deadLetter.attempts.length} deliveries killed their thread${last === undefined ? '' : ` (last: ${formatExitReason(last.reason)})`}`);
    this.deadLetter = deadLetter;
  }
}

/** A pool's queue holds `maxQueue` jobs already: the job was refused at once (backpressure), never queued. */
export class QueueFullError extends ThreadvisorError {
  /** The code of every QueueFullError: `'ERR_QUEUE_FULL'`. */
  static readonly code = 'ERR_QUEUE_FULL' as const;
  readonly pool: string;
  readonly maxQueue: number;
  constructor(pool: string, maxQueue: number) {
    super(QueueFullError.code, `pool '${pool}' refused a job: its queue is full (maxQueue ${maxQueue})`);
    this.pool = pool;
    this.maxQueue = maxQueue;
  }
}

/**
 * The pool stopped (or crashed past its restart intensity) before the job ran, or while it ran past the
 * shutdown timeout; or the job was submitted after the stop. `reason` is how the pool ended.
 */
export class PoolStoppedError extends ThreadvisorError {
  /** The code of every PoolStoppedError: `'ERR_POOL_STOPPED'`. */
  static readonly code = 'ERR_POOL_STOPPED' as const;
  readonly pool: string;
  readonly reason: ExitReason;
  constructor(pool: string, reason: ExitReason, what = 'the job was not run') {
    super(PoolStoppedError.code, `pool '${pool}' has stopped (${formatExitReason(reason)}): ${what}`);
    this.pool = pool;
    this.reason = reason;
  }
}

/**
 * A pool job did not finish within its `timeoutMs` (counted from `run()`, queue time included). A job
 * still queued was removed; a running one had its `ctx.signal` aborted (and its thread replaced if it
 * ignored that past `abortGraceMs`). Never redelivered.
 */
export class JobTimeoutError extends ThreadvisorError {
  /** The code of every JobTimeoutError: `'ERR_JOB_TIMEOUT'`. */
  static readonly code = 'ERR_JOB_TIMEOUT' as const;
  readonly job: JobRef;
  readonly timeoutMs: number;
  constructor(job: JobRef, timeoutMs: number) {
    super(JobTimeoutError.code, `job ${job.id} ('${job.handler}') did not finish within ${timeoutMs} ms`);
    this.job = job;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A pool job's `signal` aborted: a queued job was removed at once, a running one had its `ctx.signal`
 * aborted. `cause` is the signal's reason. Never redelivered.
 */
export class JobAbortedError extends ThreadvisorError {
  /** The code of every JobAbortedError: `'ERR_JOB_ABORTED'`. */
  static readonly code = 'ERR_JOB_ABORTED' as const;
  readonly job: JobRef;
  constructor(job: JobRef, reason: unknown) {
    super(JobAbortedError.code, `job ${job.id} ('${job.handler}') was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason });
    this.job = job;
  }
}

/**
 * A call between workers would wait on itself: the target's handler running now is waiting (directly or
 * down a chain of calls) for the caller's, and handlers run one at a time, so neither could ever answer.
 * The chain of waiting handlers travels with each call; the target refuses such a call as it arrives
 * (a round trip, not the timeout), before its mailbox takes it.
 */
export class CallCycleError extends ThreadvisorError {
  /** The code of every CallCycleError: `'ERR_CALL_CYCLE'`. */
  static readonly code = 'ERR_CALL_CYCLE' as const;
  /** The paths of the cycle, first and last the same (`['a', 'b', 'a']`; `['a', 'a']` for a self-call). */
  readonly cycle: readonly string[];
  readonly method: string;
  constructor(cycle: readonly string[], method: unknown) {
    const name = String(method);
    super(CallCycleError.code, `call '${name}' would deadlock: ${cycle.join(' -> ')} (each handler waits for the next, and an actor handles one message at a time; make one of these a cast, or reply before calling)`);
    this.cycle = cycle;
    this.method = name;
  }
}

/**
 * `ctx.ref` or `ctx.monitor` in a worker started by `startWorker`: outside a supervision tree there is no
 * registry to resolve names or paths in. Start the worker as a child of a supervisor to reach its siblings.
 */
export class NoTreeError extends ThreadvisorError {
  /** The code of every NoTreeError: `'ERR_NO_TREE'`. */
  static readonly code = 'ERR_NO_TREE' as const;
  /** The name or path that was asked for. */
  readonly target: string;
  constructor(what: string, target: string) {
    super(NoTreeError.code, `${what}('${target}'): this worker was started by startWorker, outside any supervision tree, so there are no names or paths to resolve; start it as a child of a supervisor`);
    this.target = target;
  }
}

// A bundler may rename the classes it bundles (esbuild turns `class InvalidSpecError` into
// `class _InvalidSpecError`), and `name` comes from the class. Naming them here, once, keeps every published
// error's `name`, stack header and pino `err.type` as written, without the bundler's `keepNames`, whose
// helper calls would land on hot paths too. test/packaging/error-names.test.ts checks the built files.
for (const [name, errorClass] of Object.entries({
  ThreadvisorError, InvalidSpecError, StartError, StartIgnoredError, ActorCrashedError, ActorStoppedError, CallTimeoutError, ChildUnavailableError, UnknownMethodError, DataCloneError, ChildNotFoundError, ChildKindError, ChildRunningError, ChildRestartingError, AlreadyPresentError, MaxChildrenError, SupervisorStoppedError, NotInWorkerError, HealthServerError, CliUsageError, TreeModuleError,
  JobFailedError, DeadLetteredError, QueueFullError, PoolStoppedError, JobTimeoutError, JobAbortedError,
  CallCycleError, NoTreeError,
})) {
  Object.defineProperty(errorClass, 'name', { value: name });
}

/** Rebuilds an Error from its serialized form, keeping the worker's stack, for `cause` chains. */
export function revive(error: SerializedError): Error {
  const e = new Error(error.message, error.cause ? { cause: revive(error.cause) } : undefined);
  e.name = error.name;
  if (error.stack !== undefined) e.stack = error.stack;
  if (error.code !== undefined) (e as Error & { code?: string }).code = error.code;
  return e;
}
