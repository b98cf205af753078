/**
 * The calls one actor has in flight to one peer, with their deadlines: the worker side's counterpart of
 * the host's call table (`runtime/call-table.ts`, which `worker/` may not import). One timer for the
 * earliest deadline rather than one per call, re-armed when it fires, so a round trip allocates no timer.
 *
 * A call may be queued before it is sent (its channel is still being set up) with no deadline yet: when it
 * gave no timeout, its deadline comes from the callee's own `callTimeoutMs`, known once connected.
 */
import type { ChainLink } from '../protocol/messages.js';

/** One call waiting for its reply. */
export interface PeerCall {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
  /** The handlers that wait on this call, the caller's last. */
  readonly chain: readonly ChainLink[];
  /** The timeout the caller gave (ms, or `Infinity`); `undefined`: the callee's default. */
  readonly timeoutMs: number | undefined;
  /** When it was made (`performance.now()`). */
  readonly startedAt: number;
  /** `Infinity` until a deadline is known. */
  deadline: number;
  /** Sent on a channel (a timeout is then the reply's); `false` while it waits for one. */
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The longest delay a Node timer takes; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** In-flight calls to one peer, by id. */
export class PeerCalls {
  readonly #pending = new Map<number, PeerCall>();
  readonly #expired: (call: PeerCall) => Error;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  /** @param expired the error of a call whose deadline passed (a timeout, or no channel in time). */
  constructor(expired: (call: PeerCall) => Error) {
    this.#expired = expired;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** `true` while call `id` waits (it has not timed out or failed). */
  has(id: number): boolean {
    return this.#pending.has(id);
  }

  add(call: PeerCall): void {
    this.#pending.set(call.id, call);
    this.deadline(call, call.deadline);
  }

  /** Sets (or moves) the deadline of a call still waiting. */
  deadline(call: PeerCall, deadline: number): void {
    call.deadline = deadline;
    if (deadline < this.#armedFor) this.#arm(deadline);
  }

  /** Takes call `id` out of the table; `undefined` when it is not there (timed out, or failed). */
  take(id: number): PeerCall | undefined {
    const call = this.#pending.get(id);
    if (call !== undefined) this.#pending.delete(id);
    return call;
  }

  /** Empties the table and disarms its timer; returns what was in it. */
  drain(): PeerCall[] {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    this.#disarm();
    return calls;
  }

  #arm(deadline: number): void {
    this.#disarm();
    this.#armedFor = deadline;
    const delay = Math.min(Math.max(1, Math.ceil(deadline - performance.now())), MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#sweep(), delay);
    // The calls live as long as the actor's thread, which its host port keeps alive on its own.
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    const expired: PeerCall[] = [];
    for (const [id, call] of this.#pending) {
      if (call.deadline <= now) {
        this.#pending.delete(id);
        expired.push(call);
      } else if (call.deadline < next) next = call.deadline;
    }
    if (next !== Infinity) this.#arm(next);
    for (const call of expired) call.reject(this.#expired(call));
  }
}
