/**
 * The typed face of an actor on the main thread, shared by every kind of reference (a standalone worker,
 * a supervised child): method names, arguments and results are checked against the worker's definition.
 */
import type { AnyWorker, CallArgs, CallName, CallResult, CastArgs, CastName } from './worker-definition.js';

/**
 * Calls and casts to an actor, typed by its worker definition `W` (`typeof MyWorker`).
 *
 * @example
 * ```ts
 * import type Counter from './counter.worker.js';
 * declare const counter: ActorRef<typeof Counter>;
 * const n: number = await counter.call('add', 2);
 * counter.cast('reset');
 * await counter.withTimeout(100).call('get');
 * ```
 */
export interface ActorRef<W = AnyWorker> {
  /**
   * Sends a request and resolves with the handler's return value. Rejects with `CallTimeoutError` after
   * the call timeout, `ActorCrashedError` if the actor crashes before answering (at once, not at the
   * timeout), `ActorStoppedError` if it stops, `UnknownMethodError` or `DataCloneError` without reaching it.
   */
  call<M extends CallName<W>>(method: M, ...args: CallArgs<W, M>): Promise<CallResult<W, M>>;
  /**
   * Sends a fire-and-forget message. Throws (synchronously) `UnknownMethodError`, `DataCloneError`, or
   * `ActorStoppedError`/`ActorCrashedError` when the actor is known to be gone; nothing is dropped silently
   * except a cast racing the actor's own crash.
   */
  cast<M extends CastName<W>>(method: M, ...args: CastArgs<W, M>): void;
  /** The same reference with another call timeout (ms, or `Infinity`). */
  withTimeout(timeoutMs: number): ActorRef<W>;
}
