/**
 * The calls one actor has in flight to one peer, with their deadlines: kept in the same
 * {@link DeadlineTable} as the host's call table (one timer for the earliest deadline).
 *
 * A call may be queued before it is sent (its channel is still being set up) with no deadline yet: when it
 * gave no timeout, its deadline comes from the callee's own `callTimeoutMs`, known once connected.
 */
import type { ChainLink } from '../protocol/messages.js';
import { DeadlineTable } from '../protocol/deadline-table.js';

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

/** In-flight calls to one peer, by id. */
export class PeerCalls {
  readonly #table: DeadlineTable<PeerCall>;

  /** @param expired the error of a call whose deadline passed (a timeout, or no channel in time). */
  constructor(expired: (call: PeerCall) => Error) {
    this.#table = new DeadlineTable<PeerCall>((call) => call.reject(expired(call)));
  }

  get size(): number {
    return this.#table.size;
  }

  /** `true` while call `id` waits (it has not timed out or failed). */
  has(id: number): boolean {
    return this.#table.has(id);
  }

  add(call: PeerCall): void {
    this.#table.add(call.id, call);
  }

  /** Sets (or moves) the deadline of a call still waiting. */
  deadline(call: PeerCall, deadline: number): void {
    this.#table.move(call, deadline);
  }

  /** Takes call `id` out of the table; `undefined` when it is not there (timed out, or failed). */
  take(id: number): PeerCall | undefined {
    return this.#table.take(id);
  }

  /** Empties the table and disarms its timer; returns what was in it. */
  drain(): PeerCall[] {
    return this.#table.takeAll();
  }
}
