/**
 * One actor inside a thread: its state and its mailbox. Handlers run one message at a time, like a
 * gen_server: an async handler holds the mailbox until it settles, so no two handlers ever interleave on
 * the same state. A synchronous handler is dispatched without queueing, which keeps the hot path short.
 */
import type { ActorContext, InfoMessage } from '../protocol/actor-context.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ActorEnd, CallFailure, ChainLink, HostMessage, ThreadMessage } from '../protocol/messages.js';
import { OP_CALL, OP_CAST, OP_FAIL, OP_REPLY, OP_STOP } from '../protocol/messages.js';
import { serializeError, type SerializedError } from '../protocol/serialized-error.js';
import type { CallHandler, WorkerDefinition } from '../protocol/worker-definition.js';
import { isStopSignal } from './sentinels.js';

/** What an actor needs from the thread that hosts it. */
export interface ActorSite {
  post(message: ThreadMessage): void;
  /** The actor has ended; called exactly once. */
  ended(actor: ActorRuntime, reason: ExitReason, how: ActorEnd): void;
}

/** Where the answer to one call goes: the host's port, or the direct channel of the peer that called. */
export interface Replier {
  /** Posts the reply; throws what `postMessage` throws (a `DataCloneError` for an uncloneable value). */
  reply(id: number, value: unknown): void;
  fail(id: number, failure: CallFailure, error: SerializedError): void;
}

/** Where the answer to a peer's call goes: its direct channel, which can also refuse a call that closes a cycle. */
export interface PeerReplier extends Replier {
  /** Refuses call `id`: the handler running now is in its chain, so it waits on the call it would have to take. */
  cycle(id: number): void;
}

/** Local mailbox entries, never on the wire: a peer's call or cast from a direct channel, an info message. */
export const IN_PEER_CALL = -1;
export const IN_PEER_CAST = -2;
export const IN_INFO = -3;

/** What the thread's peers hand an actor's mailbox, queued with the host's messages in arrival order. */
export type LocalMessage =
  /** `chain`: the handlers that wait on this call, the caller's last. */
  | readonly [op: typeof IN_PEER_CALL, replier: PeerReplier, id: number, method: string, args: readonly unknown[], chain: readonly ChainLink[]]
  | readonly [op: typeof IN_PEER_CAST, method: string, args: readonly unknown[]]
  /** `wanted()` is asked as it is handled: `false` once `demonitor` withdrew the notice. */
  | readonly [op: typeof IN_INFO, message: InfoMessage, wanted: () => boolean];

type Envelope = HostMessage | LocalMessage;

const NO_CHAIN: readonly ChainLink[] = Object.freeze([]);

/** A running actor: state, handlers and mailbox. */
export class ActorRuntime {
  readonly id: number;
  readonly #site: ActorSite;
  readonly #calls: Map<string, CallHandler<unknown>>;
  readonly #casts: Map<string, CallHandler<unknown>>;
  readonly #terminate: WorkerDefinition['terminate'];
  readonly #info: WorkerDefinition['info'];
  /** Answers to the host's calls. */
  readonly #host: Replier;
  /** The call chain of the message being handled (held while an async handler runs): who waits on us. */
  #chain: readonly ChainLink[] = NO_CHAIN;
  /** This actor's path and incarnation: its links in call chains. */
  readonly #path: string;
  readonly #incarnation: number;
  /** Messages handled so far: the turn of the one being handled, in chain links. */
  #turn = 0;
  /** `true` while a handler runs (its synchronous part, or until its promise settles). */
  #running = false;
  readonly #state: unknown;
  readonly #ctx: ActorContext;
  #busy = false;
  #ending = false;
  #ended = false;
  #queue: Envelope[] = [];
  #head = 0;

  constructor(id: number, definition: WorkerDefinition, state: unknown, ctx: ActorContext, site: ActorSite) {
    this.id = id;
    this.#site = site;
    this.#state = state;
    this.#ctx = ctx;
    this.#path = ctx.self.path;
    this.#incarnation = ctx.self.incarnation;
    this.#calls = new Map(Object.entries(definition.calls as Record<string, CallHandler<unknown>>));
    this.#casts = new Map(Object.entries(definition.casts as Record<string, CallHandler<unknown>>));
    this.#terminate = definition.terminate;
    this.#info = definition.info;
    this.#host = {
      reply: (id, value) => site.post([OP_REPLY, this.id, id, value]),
      fail: (id, failure, error) => site.post([OP_FAIL, this.id, id, failure, error]),
    };
  }

  /** `true` when the worker defines `info` (messages for it are otherwise logged and dropped). */
  get hasInfo(): boolean {
    return this.#info !== undefined;
  }

  /**
   * The chain a call made now carries: the handlers that wait, down a chain of calls, on the handler
   * running now, then that handler. Empty outside any handler (a timer after its handler returned): then
   * nothing of this actor waits on the call. A handler counts as waiting while it runs (until its promise
   * settles): one that fired a call and returned holds no mailbox, and is no link of the chain.
   */
  chainOut(): readonly ChainLink[] {
    if (!this.#running) return NO_CHAIN;
    const link: ChainLink = [this.#path, this.#incarnation, this.#turn];
    return this.#chain.length === 0 ? [link] : [...this.#chain, link];
  }

  /** Hands the actor a message; it runs now, or after the async handler in progress settles. */
  deliver(message: Envelope): void {
    // Once stopping, nothing more is handled: the host rejects the calls left behind when the exit arrives.
    if (this.#ending) return;
    if (!this.#busy) return this.#handle(message);
    // A call whose chain holds the handler running now waits on it, and that handler waits on the call:
    // refused now, rather than queued to wait out its timeout. Only a running handler can be a link of a
    // cycle, so a call queued behind an unrelated handler is not refused.
    if (message[0] === IN_PEER_CALL) {
      for (const link of message[5]) {
        if (link[2] === this.#turn && link[0] === this.#path && link[1] === this.#incarnation) return message[1].cycle(message[2]);
      }
    }
    this.#queue.push(message);
  }

  #handle(message: Envelope): void {
    this.#turn += 1;
    this.#running = true;
    this.#handleTurn(message);
    if (!this.#busy) {
      this.#running = false;
      this.#chain = NO_CHAIN;
    }
  }

  #handleTurn(message: Envelope): void {
    switch (message[0]) {
      case OP_CALL:
        this.#call(message[2], message[3], message[4], this.#host);
        return;
      case IN_PEER_CALL:
        this.#chain = message[5];
        this.#call(message[2], message[3], message[4], message[1]);
        return;
      case IN_PEER_CAST:
        this.#cast(message[1], message[2]);
        return;
      case IN_INFO:
        // The thread's peers deliver info only to an actor that has the handler; the guard keeps it honest.
        if (this.#info !== undefined && message[2]()) this.#dispatch(this.#info as CallHandler<unknown>, [message[1]]);
        return;
      case OP_CAST:
        this.#cast(message[2], message[3]);
        return;
      case OP_STOP:
        void this.#stop(message[2], 'stopped');
        return;
      default:
        return;
    }
  }

  #call(id: number, method: string, args: readonly unknown[], to: Replier): void {
    const handler = this.#calls.get(method);
    if (handler === undefined) {
      // The caller validates names before sending; this guards a caller and thread that disagree.
      to.fail(id, 'unknown', { name: 'UnknownMethodError', message: `unknown call '${method}'` });
      return;
    }
    const result = this.#run(handler, args);
    if (result === CRASHED) return;
    if (isThenable(result)) this.#hold(result, id, to);
    else this.#answer(id, result, to);
  }

  #cast(method: string, args: readonly unknown[]): void {
    const handler = this.#casts.get(method);
    // A cast has no caller to tell; the caller validated the name, so this only drops a message from a
    // caller that disagrees about the method table.
    if (handler === undefined) return;
    this.#dispatch(handler, args);
  }

  /** Runs a handler whose return value is no reply (a cast's, `info`'s): only a `stop()` matters. */
  #dispatch(handler: CallHandler<unknown>, args: readonly unknown[]): void {
    const result = this.#run(handler, args);
    if (result === CRASHED) return;
    if (isThenable(result)) this.#hold(result, undefined, this.#host);
    else if (isStopSignal(result)) void this.#stop(result.reason, 'self');
  }

  /** Runs a handler on the state; a throw crashes the actor (its state is suspect) and yields {@link CRASHED}. */
  #run(handler: CallHandler<unknown>, args: readonly unknown[]): unknown {
    try {
      return invoke(handler, this.#state, args);
    } catch (error) {
      this.#crash(error);
      return CRASHED;
    }
  }

  /** Holds the mailbox until an async handler settles. `id` is the call's, `undefined` for a cast. */
  #hold(pending: PromiseLike<unknown>, id: number | undefined, to: Replier): void {
    this.#busy = true;
    pending.then(
      (value) => {
        if (this.#ending) return;
        this.#busy = false;
        this.#running = false;
        this.#chain = NO_CHAIN;
        if (id !== undefined) this.#answer(id, value, to);
        else if (isStopSignal(value)) void this.#stop(value.reason, 'self');
        this.#drain();
      },
      (error: unknown) => this.#crash(error),
    );
  }

  #drain(): void {
    while (!this.#busy && !this.#ending && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head] as Envelope;
      this.#head += 1;
      this.#handle(next);
    }
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
  }

  #answer(id: number, value: unknown, to: Replier): void {
    if (isStopSignal(value)) {
      this.#reply(id, value.reply, to);
      void this.#stop(value.reason, 'self');
      return;
    }
    this.#reply(id, value, to);
  }

  #reply(id: number, value: unknown, to: Replier): void {
    try {
      to.reply(id, value);
    } catch (error) {
      // The handler ran and the state is sound; only this reply cannot travel, so the caller gets a typed
      // error and the actor keeps running.
      to.fail(id, 'clone', serializeError(error));
    }
  }

  async #stop(reason: ExitReason, how: 'stopped' | 'self'): Promise<void> {
    if (this.#ending) return;
    this.#ending = true;
    this.#queue = [];
    if (this.#terminate !== undefined) {
      try {
        await this.#terminate(this.#state, reason, this.#ctx);
      } catch (error) {
        this.#end({ kind: 'error', error: serializeError(error) }, 'terminate_failed');
        return;
      }
    }
    this.#end(reason, how);
  }

  #crash(error: unknown): void {
    this.#ending = true;
    this.#end({ kind: 'error', error: serializeError(error) }, 'crashed');
  }

  #end(reason: ExitReason, how: ActorEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#site.ended(this, reason, how);
  }
}

/** What {@link ActorRuntime.#run} returns when the handler threw: no handler can return this symbol. */
const CRASHED: unique symbol = Symbol('crashed');

/** Calls a handler; the common small arities skip the spread, which shows on the per-message path. */
function invoke(handler: CallHandler<unknown>, state: unknown, args: readonly unknown[]): unknown {
  switch (args.length) {
    case 0:
      return handler(state);
    case 1:
      return handler(state, args[0]);
    case 2:
      return handler(state, args[0], args[1]);
    default:
      return handler(state, ...args);
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
