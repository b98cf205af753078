/**
 * The typed reference object over anything that can take untyped calls and casts: a single actor
 * incarnation, or (for a supervisor) whichever incarnation of a child is current.
 */
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker, CallArgs, CallName, CallResult, CastArgs, CastName } from '../protocol/worker-definition.js';
import type { ActorHandle, CallOptions } from '../seams/child-host.js';
import { assertTimeout } from './settings.js';

/** What a typed reference delegates to: untyped calls and casts, resolved however the owner likes. */
export type ActorTarget = Pick<ActorHandle, 'call' | 'cast'>;

/**
 * Wraps a target in a typed {@link ActorRef}. The worker type is not checked at runtime: it is what the
 * caller says the target runs.
 *
 * @example
 * ```ts
 * const ref = createActorRef<typeof Counter>({
 *   call: (method, args, options) => currentIncarnation().call(method, args, options),
 *   cast: (method, args) => currentIncarnation().cast(method, args),
 * });
 * ```
 */
export function createActorRef<W = AnyWorker>(target: ActorTarget): ActorRef<W> {
  return new TypedActorRef<W>(target, undefined);
}

class TypedActorRef<W> implements ActorRef<W> {
  readonly #target: ActorTarget;
  readonly #options: CallOptions | undefined;

  constructor(target: ActorTarget, options: CallOptions | undefined) {
    this.#target = target;
    this.#options = options;
  }

  call<M extends CallName<W>>(method: M, ...args: CallArgs<W, M>): Promise<CallResult<W, M>> {
    return this.#target.call(method, args, this.#options) as Promise<CallResult<W, M>>;
  }

  cast<M extends CastName<W>>(method: M, ...args: CastArgs<W, M>): void {
    this.#target.cast(method, args);
  }

  withTimeout(timeoutMs: number): ActorRef<W> {
    assertTimeout(timeoutMs, 'timeoutMs');
    return new TypedActorRef<W>(this.#target, { timeoutMs });
  }
}
