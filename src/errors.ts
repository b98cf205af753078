/**
 * Every error threadvisor raises, each with a stable `code` (match on `code`, not on the message) and a
 * `cause` where something else caused it. Management results that OTP returns as `{error, Reason}`
 * (`not_found`, `running`, ...) are typed errors here too.
 */
import type { ExitReason } from './protocol/exit-reason.js';
import { formatExitReason } from './protocol/exit-reason.js';
import type { SerializedError } from './protocol/serialized-error.js';

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
  | 'ERR_NOT_IN_WORKER';

/** Base class of every threadvisor error. */
export class ThreadvisorError extends Error {
  readonly code: ThreadvisorErrorCode;
  constructor(code: ThreadvisorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
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
  readonly issues: readonly SpecIssue[];
  constructor(what: string, issues: readonly SpecIssue[]) {
    const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n');
    super('ERR_INVALID_SPEC', `invalid ${what}:\n${lines}`);
    this.issues = issues;
  }
}

/** A child (worker or supervisor) could not be started. `cause` holds what went wrong. */
export class StartError extends ThreadvisorError {
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
    super('ERR_START_FAILED', `failed to start ${who}: ${error.name}: ${error.message}`, {
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
  /** The worker's name, or its module. */
  readonly child: string;
  constructor(child: string) {
    super('ERR_START_IGNORED', `${child} declined to start (its init returned ignore())`);
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
  readonly reason: ExitReason;
  /** `false` when the call or cast was refused without reaching the actor (it had already crashed). */
  readonly delivered: boolean;
  constructor(reason: ExitReason, method?: string, undelivered?: Undelivered) {
    const message = undelivered === undefined
      ? `${method === undefined ? 'actor crashed' : `actor crashed during call '${method}'`}: ${formatExitReason(reason)}`
      : `${undelivered.kind} '${method ?? '?'}' was not delivered: the actor has crashed, reason: ${formatExitReason(reason)}`;
    super('ERR_ACTOR_CRASHED', message, {
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
  readonly reason: ExitReason;
  /** `false` when the call or cast was refused without reaching the actor (it had stopped or was stopping). */
  readonly delivered: boolean;
  constructor(reason: ExitReason, method?: string, undelivered?: Undelivered) {
    const message = undelivered === undefined
      ? `actor stopped${method ? ` before answering '${method}'` : ''}: ${formatExitReason(reason)}`
      : `${undelivered.kind} '${method ?? '?'}' was not delivered: the actor ${undelivered.stopping === true ? 'is stopping' : 'has stopped'}, reason: ${formatExitReason(reason)}`;
    super('ERR_ACTOR_STOPPED', message);
    this.reason = reason;
    this.delivered = undelivered === undefined;
  }
}

/** The call got no reply within its timeout. The actor keeps running; a late reply is dropped and logged. */
export class CallTimeoutError extends ThreadvisorError {
  readonly method: string;
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number) {
    super('ERR_CALL_TIMEOUT', `call '${method}' got no reply within ${timeoutMs} ms`);
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}

/** The child had no running incarnation (restarting, stopped or gone) for the whole call timeout. */
export class ChildUnavailableError extends ThreadvisorError {
  readonly child: string;
  constructor(child: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_CHILD_UNAVAILABLE', `child '${child}' is unavailable: ${detail}`, options);
    this.child = child;
  }
}

/** The worker has no call or cast handler by that name; the actor is untouched. */
export class UnknownMethodError extends ThreadvisorError {
  readonly method: string;
  constructor(method: unknown, kind: 'call' | 'cast', known: readonly string[]) {
    // Untyped callers can pass anything as a method name (a Symbol, a number): name it, never throw here.
    const name = typeof method === 'string' ? method : String(method);
    super('ERR_UNKNOWN_METHOD', `unknown ${kind} '${name}'; the worker defines: ${known.length ? known.join(', ') : '(none)'}`);
    this.method = name;
  }
}

/** Arguments (or a reply) could not be structured-cloned across the thread boundary. */
export class DataCloneError extends ThreadvisorError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('ERR_DATA_CLONE', `${what} cannot be sent between threads (structured clone failed)`, options);
  }
}

/** No child with that id in the supervisor. */
export class ChildNotFoundError extends ThreadvisorError {
  readonly child: string;
  /** The supervisor that was asked, when known. */
  readonly supervisor: string | undefined;
  constructor(child: string, options?: { supervisor?: string }) {
    super('ERR_NOT_FOUND', `no child '${child}' in ${options?.supervisor === undefined ? 'this supervisor' : `supervisor '${options.supervisor}'`}`);
    this.child = child;
    this.supervisor = options?.supervisor;
  }
}

/** A path names a child of another kind than the operation needs (a worker where a supervisor was expected). */
export class ChildKindError extends ThreadvisorError {
  /** The path, as given. */
  readonly child: string;
  /** What the operation needs: `'a supervisor'` or `'a dynamic supervisor'`. */
  readonly expected: string;
  /** What the path names: `'a worker'`, `'a supervisor'` or `'a dynamic supervisor'`. */
  readonly given: string;
  constructor(child: string, expected: string, given: string) {
    super('ERR_CHILD_KIND', `expected '${child}' to be ${expected}; given ${given}`);
    this.child = child;
    this.expected = expected;
    this.given = given;
  }
}

/** The operation needs a stopped child, but it is running. */
export class ChildRunningError extends ThreadvisorError {
  readonly child: string;
  constructor(child: string) {
    super('ERR_CHILD_RUNNING', `child '${child}' is running`);
    this.child = child;
  }
}

/** The operation needs a stopped child, but it is waiting for a restart. */
export class ChildRestartingError extends ThreadvisorError {
  readonly child: string;
  constructor(child: string) {
    super('ERR_CHILD_RESTARTING', `child '${child}' is restarting`);
    this.child = child;
  }
}

/** `startChild` with an id the supervisor already holds. */
export class AlreadyPresentError extends ThreadvisorError {
  readonly child: string;
  constructor(child: string) {
    super('ERR_ALREADY_PRESENT', `a child with id '${child}' is already present`);
    this.child = child;
  }
}

/** A dynamic supervisor already runs `maxChildren` children. */
export class MaxChildrenError extends ThreadvisorError {
  constructor(max: number) {
    super('ERR_MAX_CHILDREN', `the supervisor already runs its maximum of ${max} children`);
  }
}

/** The supervisor has stopped (or is stopping) and takes no more requests. */
export class SupervisorStoppedError extends ThreadvisorError {
  constructor(name: string, reason?: ExitReason) {
    super('ERR_SUPERVISOR_STOPPED', `supervisor '${name}' has stopped${reason ? `: ${formatExitReason(reason)}` : ''}`);
  }
}

/** A worker-side API was used outside a worker thread started by threadvisor. */
export class NotInWorkerError extends ThreadvisorError {
  constructor(what: string) {
    super('ERR_NOT_IN_WORKER', `${what} can only be used inside a worker thread started by threadvisor`);
  }
}

/** Rebuilds an Error from its serialized form, keeping the worker's stack, for `cause` chains. */
export function revive(error: SerializedError): Error {
  const e = new Error(error.message, error.cause ? { cause: revive(error.cause) } : undefined);
  e.name = error.name;
  if (error.stack !== undefined) e.stack = error.stack;
  if (error.code !== undefined) (e as Error & { code?: string }).code = error.code;
  return e;
}
