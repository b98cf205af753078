/**
 * What an actor knows about itself, handed to `init(args, ctx)` and `terminate(state, reason, ctx)`.
 * Types and the wire shape of the identity only: the worker side builds the object, the host fills in
 * the identity (a supervisor knows where its child sits; the thread does not).
 */

/**
 * Who an actor is: where it sits in its supervision tree and which start of that place this is.
 * Together, `path` and `incarnation` name one incarnation for the life of its tree.
 */
export interface ActorSelf {
  /**
   * The child's path in its tree: the ids from the root supervisor's children down, joined by `/`
   * (`'jobs/queue'`). For a worker started with `startWorker`, its `name`, or a generated id when it has none.
   */
  readonly path: string;
  /** 1 for the first start of that child, then +1 for every restart or new start of it. */
  readonly incarnation: number;
}

/**
 * The actor's context: one frozen object per actor, the same from `init` to `terminate`, like an Akka
 * actor's `context`. Handlers get the state, not the context: keep it in the state if they need it
 * (`init: (args, ctx) => ({ ctx, n: 0 })`). Later versions add fields here (references to other actors,
 * monitors, an abort signal for pool jobs) without changing any handler's signature.
 */
export interface ActorContext {
  /** This actor's identity. */
  readonly self: ActorSelf;
}
