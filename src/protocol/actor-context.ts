/**
 * What an actor knows about itself, handed to `init(args, ctx)` and `terminate(state, reason, ctx)`.
 * Types and the wire shape of the identity only: the worker side builds the object, the host fills in
 * the identity (a supervisor knows where its child sits; the thread does not).
 */
import type { ActorRef } from './actor-ref.js';
import type { DownReason } from './messages.js';
import type { AnyWorker } from './worker-definition.js';

export type { DownReason } from './messages.js';


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

/** A monitor made by `ctx.monitor` (or `tree.monitor` on the main thread): the handle `demonitor` takes. */
export interface MonitorRef {
  /** Unique among this actor's monitors (the main thread's among the tree's). */
  readonly id: number;
  /** The name or path it was made with, as given. */
  readonly target: string;
}

/**
 * What a monitor delivers, once, when the incarnation it watches ends (OTP's `{'DOWN', Ref, process, Pid,
 * Reason}`): to the watcher's `info(state, message)` handler in a worker, to the callback on the main thread.
 */
export interface DownNotice {
  readonly type: 'down';
  /** The very monitor `monitor()` returned. */
  readonly monitor: MonitorRef;
  /** The watched child's path (a name resolves to it); the target as given for `noproc`. */
  readonly path: string;
  /** The incarnation that ended; `undefined` for `noproc` (there was none). */
  readonly incarnation: number | undefined;
  /** How it ended; `{ kind: 'noproc' }` when nothing ran there when the monitor was made (OTP's `noproc`). */
  readonly reason: DownReason;
}

/** Any message an actor's `info` handler gets (today only {@link DownNotice}s; gen_server's `handle_info`). */
export type InfoMessage = DownNotice;

/**
 * A reference to another actor from inside a worker: the main thread's typed `call`/`cast` API, over a
 * direct channel between the two threads. It names a child (by registered name or path), never an
 * incarnation: each call reaches the one running now.
 */
export interface PeerRef<W = AnyWorker> extends ActorRef<W> {
  /** The registered name or path it was made with. */
  readonly target: string;
  /** The same reference with another call timeout (ms, or `Infinity`). */
  withTimeout(timeoutMs: number): PeerRef<W>;
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
  /**
   * A typed reference to another worker of the same tree, by registered name (`'bank'`) or path
   * (`'accounts/alice'`). Calls go over a direct channel between the two threads, set up on the first call
   * and set up again after either side restarts. Errors are the main thread's: `CallTimeoutError`,
   * `ActorCrashedError` (at once when the callee dies with the call in flight), `ActorStoppedError`,
   * `UnknownMethodError`, `DataCloneError`, `ChildUnavailableError` (nothing to reach within the call
   * timeout), and `CallCycleError` (`ERR_CALL_CYCLE`) for a call back into an actor whose handler waits
   * on this one (itself included).
   * @throws NoTreeError (`ERR_NO_TREE`) in a worker started by `startWorker`: there is no tree to resolve names in.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `target` is not a name or a path.
   * @example
   * ```ts
   * import type Bank from './bank.worker.js';
   * const bank = ctx.ref<typeof Bank>('bank');
   * const balance: number = await bank.call('deposit', 'alice', 10);
   * ```
   */
  ref<W = AnyWorker>(target: string): PeerRef<W>;
  /**
   * Watches the incarnation of `target` running now; when it ends, `info(state, notice)` gets one
   * {@link DownNotice} with its exit reason (OTP's `monitor`). One incarnation only: after the notice,
   * monitor again to watch the next. A target with no running incarnation gets a `noproc` notice at once.
   * @throws NoTreeError (`ERR_NO_TREE`) in a worker started by `startWorker`.
   */
  monitor(target: string | PeerRef<AnyWorker>): MonitorRef;
  /**
   * Stops a monitor: no notice is delivered for it after this returns, even one already on its way
   * (OTP's `demonitor(Ref, [flush])`). `false` when it had already fired or been removed.
   */
  demonitor(monitor: MonitorRef): boolean;
}
