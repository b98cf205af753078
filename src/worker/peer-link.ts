/**
 * One actor's way to one target (a registered name or a path), on the caller's side of a direct channel.
 *
 * A link is idle until the first call or cast, which asks the host for a channel (`OP_CONNECT`); what is
 * made meanwhile waits in order, each call within its own deadline (its timeout, else the target's own
 * call timeout, which the host tells while it waits: `OP_CONNECT_WAITING`). The host waits as long as the
 * longest of them asked when the request left; when that wait ends with calls still in time (made later,
 * with longer timeouts), the link asks again for what is left of theirs. Once connected, calls and casts go straight to the callee's thread over
 * the channel's port, and replies come back on it. When the callee's incarnation ends, the host says so
 * (`OP_PEER_DOWN`, with the exit reason): what the callee answered before it died is read first, every
 * call still in flight fails at once with the reason, the port is closed and the link forgotten, so the
 * next call resolves the target again and reaches the next incarnation.
 */
import type { MessagePort } from 'node:worker_threads';
import { receiveMessageOnPort } from 'node:worker_threads';
import {
  ActorCrashedError, ActorStoppedError, CallCycleError, CallTimeoutError, ChildUnavailableError, DataCloneError,
  UnknownMethodError, revive,
} from '../errors.js';
import { isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import type { ChainLink, PeerInfo, PeerRequest, PeerResponse } from '../protocol/messages.js';
import { OP_CALL, OP_CAST, OP_FAIL, OP_REPLY } from '../protocol/messages.js';
import { PeerCalls, type PeerCall } from './peer-calls.js';

/** What a link needs from the actor that owns it. */
export interface LinkOwner {
  /** The chain of a call made now: the handlers waiting on the owner's running one, then it (see `ActorRuntime.chainOut`). */
  chain(): readonly ChainLink[];
  /** Asks the host for a channel to `target`; the answer comes to `connected` or `connectFailed`. */
  connect(link: PeerLink, timeoutMs: number | undefined): void;
  /** The link has nothing to reach any more (its callee ended, or none was found): forget it. */
  forget(link: PeerLink): void;
  /** Reports what the runtime had to drop, through the host's logger. */
  log(level: 'warn' | 'error', context: string, message: string): void;
}

type Queued = PeerCall | { readonly cast: string; readonly args: readonly unknown[] };

/** The caller's side of the way to one target. */
export class PeerLink {
  readonly target: string;
  readonly #owner: LinkOwner;
  readonly #calls: PeerCalls;
  #nextId = 0;
  /** Calls and casts made before the channel opened, in order. */
  #queue: Queued[] = [];
  #connecting = false;
  #port: MessagePort | undefined;
  #peer: PeerInfo | undefined;
  /** The target's own call timeout, once the host told it (while connecting) or the channel opened. */
  #defaultMs: number | undefined;
  #callNames: ReadonlySet<string> = new Set();
  #castNames: ReadonlySet<string> = new Set();

  constructor(owner: LinkOwner, target: string) {
    this.#owner = owner;
    this.target = target;
    this.#calls = new PeerCalls((call) => this.#expired(call));
  }

  /** `true` while a channel is open (the callee's incarnation known). */
  get open(): boolean {
    return this.#port !== undefined;
  }

  call(method: string, args: readonly unknown[], timeoutMs: number | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const peer = this.#peer;
      const budget = timeoutMs ?? peer?.callTimeoutMs ?? this.#defaultMs;
      const call: PeerCall = {
        id: ++this.#nextId, method, args, chain: this.#owner.chain(), timeoutMs, startedAt,
        deadline: budget === undefined || budget === Infinity ? Infinity : startedAt + budget, sent: false, resolve, reject,
      };
      if (peer !== undefined) {
        // The usual case: a channel is open. Refusals happen before the call enters the table.
        const refused = this.#refusal(call);
        if (refused !== undefined) return reject(refused);
        try {
          (this.#port as MessagePort).postMessage([OP_CALL, call.id, method, args, call.chain] satisfies PeerRequest);
        } catch (error) {
          return reject(new DataCloneError(`the arguments of call '${method}'`, { cause: error }));
        }
        call.sent = true;
        this.#calls.add(call);
        return;
      }
      this.#calls.add(call);
      this.#queue.push(call);
      this.#connect();
    });
  }

  cast(method: string, args: readonly unknown[]): void {
    if (this.#port !== undefined) {
      if (!this.#castNames.has(method)) throw new UnknownMethodError(method, 'cast', [...this.#castNames]);
      try {
        this.#port.postMessage([OP_CAST, method, args] satisfies PeerRequest);
      } catch (error) {
        throw new DataCloneError(`the arguments of cast '${String(method)}'`, { cause: error });
      }
      return;
    }
    // Cloned now, as a post would: a caller that changes its arguments after the cast must not change it.
    let copy: readonly unknown[];
    try {
      copy = structuredClone(args);
    } catch (error) {
      throw new DataCloneError(`the arguments of cast '${String(method)}'`, { cause: error });
    }
    this.#queue.push({ cast: method, args: copy });
    this.#connect();
  }

  /** The host opened the channel: send what waited, in order. */
  connected(port: MessagePort, peer: PeerInfo): void {
    this.#connecting = false;
    this.#port = port;
    this.#peer = peer;
    this.#callNames = new Set(peer.calls);
    this.#castNames = new Set(peer.casts);
    port.on('message', (message: PeerResponse) => this.#onResponse(message));
    const queue = this.#queue;
    this.#queue = [];
    for (const item of queue) {
      if ('cast' in item) this.#sendQueuedCast(item.cast, item.args);
      else this.#sendQueuedCall(item, peer);
    }
  }

  /**
   * The host waits for the target to start: `callTimeoutMs` is the target's own call timeout, the
   * deadline of each queued call that set none (counted from when it was made).
   */
  waiting(callTimeoutMs: number): void {
    this.#defaultMs = callTimeoutMs;
    if (callTimeoutMs === Infinity) return;
    for (const item of this.#queue) {
      if (!('cast' in item) && item.timeoutMs === undefined && this.#calls.has(item.id)) this.#calls.deadline(item, item.startedAt + callTimeoutMs);
    }
  }

  /**
   * The host found nothing to connect to. At once (`timeoutMs` undefined: nothing there can ever answer),
   * what waited fails (calls) or is dropped and logged (casts). After waiting out the bound it was given,
   * only the calls whose own deadline has passed fail; the others (and the casts queued among them) wait
   * on, and the link asks again for what is left of their time.
   */
  connectFailed(detail: string, timeoutMs: number | undefined): void {
    this.#connecting = false;
    const now = performance.now();
    const queue = this.#queue;
    this.#queue = [];
    const later = timeoutMs === undefined ? [] : queue.filter((item) => !('cast' in item) && this.#calls.has(item.id) && item.deadline > now);
    if (later.length > 0) {
      this.#queue = queue.filter((item) => 'cast' in item || later.includes(item));
      for (const item of queue) {
        if (!('cast' in item) && !later.includes(item) && this.#calls.take(item.id) !== undefined) item.reject(this.#expired(item));
      }
      this.#connect();
      return;
    }
    for (const item of queue) {
      if ('cast' in item) {
        this.#owner.log('warn', 'cast_dropped', `dropped cast '${item.cast}' to '${this.target}': child '${this.target}' is unavailable: ${detail}`);
      } else if (this.#calls.take(item.id) !== undefined) {
        item.reject(timeoutMs === undefined ? new ChildUnavailableError(this.target, detail) : this.#expired(item));
      }
    }
    if (this.#calls.size === 0) this.#owner.forget(this);
  }

  /**
   * The callee's incarnation ended: read what it answered before it died (those replies were posted
   * before the host learnt of the death), then fail every call still in flight with its exit reason.
   */
  down(reason: ExitReason, stopped: boolean): void {
    const port = this.#port;
    if (port !== undefined) {
      for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
        this.#onResponse(next.message as PeerResponse);
      }
      port.removeAllListeners('message');
      port.close();
    }
    this.#port = undefined;
    this.#peer = undefined;
    const orderly = stopped || isNormalExit(reason);
    for (const call of this.#calls.drain()) {
      call.reject(orderly ? new ActorStoppedError(reason, call.method) : new ActorCrashedError(reason, call.method));
    }
    this.#owner.forget(this);
  }

  /** Closes the port without a word to anyone: the actor that owns the link is ending. */
  close(): void {
    this.#port?.removeAllListeners('message');
    this.#port?.close();
    this.#port = undefined;
  }

  #connect(): void {
    if (this.#connecting) return;
    this.#connecting = true;
    this.#owner.connect(this, this.#bound());
  }

  /**
   * How long the host may wait for the target: what is left of the latest deadline among the queued calls
   * (`Infinity` if one has none); `undefined` (the target's own call timeout) when no queued call has a
   * known deadline yet. A call whose deadline is later than the bound asks again when the bound ends.
   */
  #bound(): number | undefined {
    let latest: number | undefined;
    for (const item of this.#queue) {
      if ('cast' in item || !this.#calls.has(item.id)) continue;
      if (item.timeoutMs === undefined && item.deadline === Infinity) continue; // the target's default, not known yet
      if (latest === undefined || item.deadline > latest) latest = item.deadline;
    }
    if (latest === undefined || latest === Infinity) return latest;
    return Math.max(1, Math.ceil(latest - performance.now()));
  }

  /**
   * Why a call cannot be sent (an unknown method), or `undefined`. Cycles are the callee's to see: only it
   * knows whether its handler in the chain still runs (see `ActorRuntime.deliver`).
   */
  #refusal(call: PeerCall): Error | undefined {
    if (!this.#callNames.has(call.method)) return new UnknownMethodError(call.method, 'call', [...this.#callNames]);
    return undefined;
  }

  /**
   * The paths of the cycle the callee refused `call` for: from the callee's link in the chain (its last:
   * turns only grow along a chain) through the caller, back to the callee.
   */
  #cycle(call: PeerCall): string[] {
    const peer = this.#peer;
    const path = peer?.path ?? this.target;
    let at = 0;
    for (let i = call.chain.length - 1; i >= 0; i--) {
      const link = call.chain[i] as ChainLink;
      if (link[0] === path && link[1] === peer?.incarnation) {
        at = i;
        break;
      }
    }
    return [...call.chain.slice(at).map((link) => link[0]), path];
  }

  #sendQueuedCall(call: PeerCall, peer: PeerInfo): void {
    // It may have timed out while the channel was being set up.
    if (!this.#calls.has(call.id)) return;
    const refused = this.#refusal(call);
    if (refused !== undefined) {
      this.#calls.take(call.id);
      call.reject(refused);
      return;
    }
    try {
      (this.#port as MessagePort).postMessage([OP_CALL, call.id, call.method, call.args, call.chain] satisfies PeerRequest);
    } catch (error) {
      this.#calls.take(call.id);
      call.reject(new DataCloneError(`the arguments of call '${call.method}'`, { cause: error }));
      return;
    }
    call.sent = true;
    // A call that gave no timeout gets the callee's own, counted from when it was made.
    if (call.timeoutMs === undefined && peer.callTimeoutMs !== Infinity) this.#calls.deadline(call, call.startedAt + peer.callTimeoutMs);
  }

  #sendQueuedCast(method: string, args: readonly unknown[]): void {
    if (!this.#castNames.has(method)) {
      this.#owner.log('warn', 'cast_dropped', `dropped cast '${method}' to '${this.target}': unknown cast; the worker defines: ${[...this.#castNames].join(', ') || '(none)'}`);
      return;
    }
    (this.#port as MessagePort).postMessage([OP_CAST, method, args] satisfies PeerRequest);
  }

  #onResponse(message: PeerResponse): void {
    const call = this.#calls.take(message[1]);
    if (call === undefined) {
      if (message[0] === OP_REPLY) this.#owner.log('warn', 'late_reply', `dropped a reply from '${this.target}' that arrived after its call timed out`);
      return;
    }
    if (message[0] === OP_REPLY) call.resolve(message[2]);
    else if (message[0] === OP_FAIL) {
      if (message[2] === 'cycle') call.reject(new CallCycleError(this.#cycle(call), call.method));
      else if (message[2] === 'clone') call.reject(new DataCloneError(`the reply of call '${call.method}'`, { cause: revive(message[3]) }));
      else call.reject(new UnknownMethodError(call.method, 'call', [...this.#callNames]));
    }
  }

  #expired(call: PeerCall): Error {
    if (call.sent) return new CallTimeoutError(call.method, call.timeoutMs ?? this.#peer?.callTimeoutMs ?? call.deadline - call.startedAt);
    // Never sent: nothing ran to reach within the budget, as a main-thread ref says of a restarting child.
    const budget = call.timeoutMs ?? Math.round(call.deadline - call.startedAt);
    return new ChildUnavailableError(this.target, `no running incarnation within ${budget} ms`, { timeoutMs: budget });
  }
}
