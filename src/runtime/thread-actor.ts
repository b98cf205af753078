/**
 * The main-thread handle of one actor incarnation living in a worker thread: calls, casts, stop, and the
 * promise of its exit reason. Typing by worker module happens in the public refs, which delegate here.
 */
import type { ActorSelf } from '../protocol/actor-context.js';
import type { Transferable } from 'node:worker_threads';
import type { ExitReason } from '../protocol/exit-reason.js';
import { isNormalExit } from '../protocol/exit-reason.js';
import {
  ActorCrashedError, ActorStoppedError, DataCloneError, UnknownMethodError, revive,
} from '../errors.js';
import type { ActorEnd, CallFailure, HostMessage } from '../protocol/messages.js';
import { OP_CALL, OP_CAST, OP_STOP } from '../protocol/messages.js';
import type { SerializedError } from '../protocol/serialized-error.js';
import type { Logger } from 'pino';
import { CallTable } from './call-table.js';
import type { ActorHandle, CallOptions, Shutdown } from '../seams/child-host.js';
import { DEFAULT_SHUTDOWN_MS, assertShutdown, clampDelay } from './settings.js';
import { exitReasonError } from '../options/exit-reason-check.js';

/** What an actor handle needs from the thread hosting it. */
export interface ActorThread {
  readonly threadId: number;
  readonly calls: ReadonlySet<string>;
  readonly casts: ReadonlySet<string>;
  /** Settles when the thread has exited, with its reason. */
  readonly exited: Promise<ExitReason>;
  /**
   * Posts a message; throws what `postMessage` throws (a `DataCloneError` for uncloneable data).
   * `transfer`: the ports it hands over (a direct channel's end).
   */
  post(message: HostMessage, transfer?: readonly Transferable[]): void;
  /** Terminates the thread with `reason` (unless it already has one) and resolves once it is gone. */
  kill(reason: ExitReason): Promise<ExitReason>;
  /** Stops watching heartbeats: a finite shutdown timeout governs from here on. */
  pauseHeartbeat(): void;
}

const SHUTDOWN: ExitReason = Object.freeze({ kind: 'shutdown' });

/** An {@link ActorHandle} over a worker thread. */
export class ThreadActor implements ActorHandle {
  readonly actorId: number;
  readonly threadId: number;
  readonly exited: Promise<ExitReason>;
  readonly #thread: ActorThread;
  readonly #table = new CallTable();
  readonly #callTimeoutMs: number;
  #nextCallId = 0;
  /** Why this incarnation ended (or is ending): set by the first signal of its end. */
  #reason: ExitReason | undefined;
  /** The reason a stop was asked with; from then on calls are refused. */
  #stopReason: ExitReason | undefined;
  #stopping: Promise<ExitReason> | undefined;

  readonly #logger: Logger;
  /** Who the actor is (`ctx.self`): what a peer it calls learns of it. */
  readonly self: ActorSelf | undefined;
  /**
   * Settles with the reason as soon as the incarnation is known to have ended (its exit notice, or the
   * thread's death), before the thread is gone: direct channels and monitors act on it at once.
   */
  readonly ending: Promise<ExitReason>;
  #settleEnding!: (reason: ExitReason) => void;

  constructor(thread: ActorThread, actorId: number, callTimeoutMs: number, logger: Logger, self?: ActorSelf) {
    this.#logger = logger;
    this.self = self;
    this.ending = new Promise((resolve) => {
      this.#settleEnding = resolve;
    });
    this.#thread = thread;
    this.actorId = actorId;
    this.threadId = thread.threadId;
    this.#callTimeoutMs = callTimeoutMs;
    this.exited = thread.exited.then((threadReason) => this.#reason ?? threadReason);
  }

  get alive(): boolean {
    return this.#reason === undefined;
  }

  /** The default timeout of calls to this actor (ms, or `Infinity`). */
  get callTimeoutMs(): number {
    return this.#callTimeoutMs;
  }

  /** The worker's call and cast names. */
  get methods(): { calls: ReadonlySet<string>; casts: ReadonlySet<string> } {
    return { calls: this.#thread.calls, casts: this.#thread.casts };
  }

  /** `true` once a stop was asked for: its end is orderly however it goes (`ActorStoppedError` for callers). */
  get stopRequested(): boolean {
    return this.#stopReason !== undefined;
  }

  /** Posts a messaging message to the actor's thread, handing over `transfer` (a channel's port). */
  postPeer(message: HostMessage, transfer?: readonly Transferable[]): void {
    this.#thread.post(message, transfer);
  }

  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
    if (this.#reason !== undefined || this.#stopReason !== undefined) return Promise.reject(this.#goneError(method, 'call'));
    if (!this.#thread.calls.has(method)) {
      return Promise.reject(new UnknownMethodError(method, 'call', [...this.#thread.calls]));
    }
    const id = ++this.#nextCallId;
    try {
      this.#thread.post([OP_CALL, this.actorId, id, method, args]);
    } catch (error) {
      return Promise.reject(new DataCloneError(`the arguments of call '${method}'`, { cause: error }));
    }
    return this.#table.add(id, method, options?.timeoutMs ?? this.#callTimeoutMs);
  }

  cast(method: string, args: unknown[]): void {
    if (this.#reason !== undefined || this.#stopReason !== undefined) throw this.#goneError(method, 'cast');
    if (!this.#thread.casts.has(method)) throw new UnknownMethodError(method, 'cast', [...this.#thread.casts]);
    try {
      this.#thread.post([OP_CAST, this.actorId, method, args]);
    } catch (error) {
      throw new DataCloneError(`the arguments of cast '${method}'`, { cause: error });
    }
  }

  stop(reason: ExitReason = SHUTDOWN, options?: { shutdown?: Shutdown }): Promise<ExitReason> {
    // A reason is user input (WorkerRef.stop, a ThreadHost's actors): refused, never handed back as the exit reason.
    const invalid = exitReasonError(reason);
    if (invalid !== null) return Promise.reject(invalid);
    if (this.#stopping !== undefined) {
      // A stop already under way can still be cut short: brutal_kill always terminates the thread now
      // (a parent whose own shutdown timeout ran out must be able to end a child's slow terminate).
      if (options?.shutdown === 'brutal_kill' && this.#reason === undefined) void this.#thread.kill({ kind: 'killed' });
      return this.#stopping;
    }
    const shutdown = options?.shutdown ?? DEFAULT_SHUTDOWN_MS;
    try {
      assertShutdown(shutdown);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#stopping = this.exited;
    if (this.#reason !== undefined) return this.#stopping;
    this.#stopReason = reason;
    if (shutdown === 'brutal_kill') {
      void this.#thread.kill({ kind: 'killed' });
      return this.#stopping;
    }
    this.#postStop(reason);
    if (typeof shutdown === 'number') {
      // From here the shutdown timeout decides; a terminate that blocks for a while is not "hung".
      this.#thread.pauseHeartbeat();
      const timer = setTimeout(() => void this.#thread.kill({ kind: 'killed', afterMs: shutdown }), clampDelay(shutdown));
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.#stopping;
  }

  /** The thread answered call `id`. */
  onReply(id: number, value: unknown): void {
    if (this.#table.resolve(id, value)) return;
    // Its caller already got an error; the reply has nowhere to go, but it must not vanish unseen. It is
    // late because the call timed out, or because the host ended the thread (hung, killed) as it replied.
    const why = this.#reason === undefined ? 'its call timed out' : 'the actor was declared ended';
    this.#logger.warn({ context: 'late_reply', threadId: this.threadId, actorId: this.actorId, callId: id }, `dropped a reply that arrived after ${why}`);
  }

  /** The thread could not answer call `id`; the actor is unharmed. */
  onFail(id: number, failure: CallFailure, error: SerializedError): void {
    if (failure === 'clone') {
      this.#table.reject(id, (method) => new DataCloneError(`the reply of call '${method}'`, { cause: revive(error) }));
    } else {
      this.#table.reject(id, (method) => new UnknownMethodError(method, 'call', [...this.#thread.calls]));
    }
  }

  /** The actor reported its own end (stopped, stopped itself, or crashed). */
  onExit(reason: ExitReason, how: ActorEnd): void {
    // After an orderly stop the host keeps the reason it asked with: the thread's copy went through a clone.
    this.#ended(how === 'stopped' && this.#stopReason !== undefined ? this.#stopReason : reason);
  }

  /** The thread is gone or going (crash, exit, oom, hung, killed): everything in flight fails now. */
  onThreadDeath(reason: ExitReason): void {
    this.#ended(reason);
  }

  #ended(reason: ExitReason): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#table.rejectAll((method) => this.#goneError(method));
    this.#settleEnding(reason);
  }

  /**
   * The error of a call in flight when the incarnation ended, or (with `refused`) of a call or cast refused
   * at the caller, never sent, which says so rather than suggest the actor stopped or crashed handling it.
   * A call to an actor that was asked to stop failed because of the stop, however the stop went.
   */
  #goneError(method: string, refused?: 'call' | 'cast'): Error {
    const reason = this.#reason ?? this.#stopReason ?? SHUTDOWN;
    if (this.#stopReason !== undefined || isNormalExit(reason)) {
      return new ActorStoppedError(reason, method, refused === undefined ? undefined : { kind: refused, stopping: this.#reason === undefined });
    }
    return new ActorCrashedError(reason, method, refused === undefined ? undefined : { kind: refused });
  }

  #postStop(reason: ExitReason): void {
    try {
      this.#thread.post([OP_STOP, this.actorId, reason]);
    } catch (error) {
      // The detail is user data and may not be cloneable; `terminate` still learns the kind of stop.
      const detail = `${String((reason as { detail?: unknown }).detail)} (not cloneable: ${(error as Error).message})`;
      this.#thread.post([OP_STOP, this.actorId, { kind: 'shutdown', detail }]);
    }
  }
}
