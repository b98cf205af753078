/**
 * One actor inside a thread: its state and its mailbox. Handlers run one message at a time, like a
 * gen_server: an async handler holds the mailbox until it settles, so no two handlers ever interleave on
 * the same state. A synchronous handler is dispatched without queueing, which keeps the hot path short.
 */
import type { ActorContext } from '../protocol/actor-context.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ActorEnd, HostMessage, ThreadMessage } from '../protocol/messages.js';
import { OP_CALL, OP_CAST, OP_FAIL, OP_REPLY, OP_STOP } from '../protocol/messages.js';
import { serializeError } from '../protocol/serialized-error.js';
import type { CallHandler, WorkerDefinition } from '../protocol/worker-definition.js';
import { isStopSignal } from './sentinels.js';

/** What an actor needs from the thread that hosts it. */
export interface ActorSite {
  post(message: ThreadMessage): void;
  /** The actor has ended; called exactly once. */
  ended(actor: ActorRuntime, reason: ExitReason, how: ActorEnd): void;
}

/** A running actor: state, handlers and mailbox. */
export class ActorRuntime {
  readonly id: number;
  readonly #site: ActorSite;
  readonly #calls: Map<string, CallHandler<unknown>>;
  readonly #casts: Map<string, CallHandler<unknown>>;
  readonly #terminate: WorkerDefinition['terminate'];
  readonly #state: unknown;
  readonly #ctx: ActorContext;
  #busy = false;
  #ending = false;
  #ended = false;
  #queue: HostMessage[] = [];
  #head = 0;

  constructor(id: number, definition: WorkerDefinition, state: unknown, ctx: ActorContext, site: ActorSite) {
    this.id = id;
    this.#site = site;
    this.#state = state;
    this.#ctx = ctx;
    this.#calls = new Map(Object.entries(definition.calls as Record<string, CallHandler<unknown>>));
    this.#casts = new Map(Object.entries(definition.casts as Record<string, CallHandler<unknown>>));
    this.#terminate = definition.terminate;
  }

  /** Hands the actor a message; it runs now, or after the async handler in progress settles. */
  deliver(message: HostMessage): void {
    // Once stopping, nothing more is handled: the host rejects the calls left behind when the exit arrives.
    if (this.#ending) return;
    if (this.#busy) this.#queue.push(message);
    else this.#handle(message);
  }

  #handle(message: HostMessage): void {
    switch (message[0]) {
      case OP_CALL:
        this.#call(message[2], message[3], message[4]);
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

  #call(id: number, method: string, args: readonly unknown[]): void {
    const handler = this.#calls.get(method);
    if (handler === undefined) {
      // The host validates names before sending; this guards a host and thread that disagree.
      this.#site.post([OP_FAIL, this.id, id, 'unknown', { name: 'UnknownMethodError', message: `unknown call '${method}'` }]);
      return;
    }
    const result = this.#run(handler, args);
    if (result === CRASHED) return;
    if (isThenable(result)) this.#hold(result, id);
    else this.#answer(id, result);
  }

  #cast(method: string, args: readonly unknown[]): void {
    const handler = this.#casts.get(method);
    // A cast has no caller to tell; the host validated the name, so this only drops a message from a
    // host that disagrees about the method table.
    if (handler === undefined) return;
    const result = this.#run(handler, args);
    if (result === CRASHED) return;
    if (isThenable(result)) this.#hold(result, undefined);
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
  #hold(pending: PromiseLike<unknown>, id: number | undefined): void {
    this.#busy = true;
    pending.then(
      (value) => {
        if (this.#ending) return;
        this.#busy = false;
        if (id !== undefined) this.#answer(id, value);
        else if (isStopSignal(value)) void this.#stop(value.reason, 'self');
        this.#drain();
      },
      (error: unknown) => this.#crash(error),
    );
  }

  #drain(): void {
    while (!this.#busy && !this.#ending && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head] as HostMessage;
      this.#head += 1;
      this.#handle(next);
    }
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
  }

  #answer(id: number, value: unknown): void {
    if (isStopSignal(value)) {
      this.#reply(id, value.reply);
      void this.#stop(value.reason, 'self');
      return;
    }
    this.#reply(id, value);
  }

  #reply(id: number, value: unknown): void {
    try {
      this.#site.post([OP_REPLY, this.id, id, value]);
    } catch (error) {
      // The handler ran and the state is sound; only this reply cannot travel, so the caller gets a typed
      // error and the actor keeps running.
      this.#site.post([OP_FAIL, this.id, id, 'clone', serializeError(error)]);
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
