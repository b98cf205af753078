/**
 * The calls an actor has in flight, keyed by integer id, with their timeouts: a {@link DeadlineTable}
 * (one timer for the earliest deadline) whose expired calls reject with `CallTimeoutError`.
 */
import { CallTimeoutError } from '../errors.js';
import { DeadlineTable } from '../protocol/deadline-table.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  method: string;
  timeoutMs: number;
  deadline: number;
}

/** In-flight calls of one actor incarnation. */
export class CallTable {
  readonly #table = new DeadlineTable<PendingCall>((call) => call.reject(new CallTimeoutError(call.method, call.timeoutMs)));

  /** How many calls are waiting for a reply. */
  get size(): number {
    return this.#table.size;
  }

  /** Registers call `id`; the promise settles through {@link resolve}, {@link reject}, a timeout, or {@link rejectAll}. */
  add(id: number, method: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
      this.#table.add(id, { resolve, reject, method, timeoutMs, deadline });
    });
  }

  /** Resolves call `id`; `false` when no such call waits (it timed out: the caller reports the drop). */
  resolve(id: number, value: unknown): boolean {
    const call = this.#table.take(id);
    if (call === undefined) return false;
    call.resolve(value);
    return true;
  }

  /** Rejects call `id` with the error built from its method name. */
  reject(id: number, error: (method: string) => Error): void {
    const call = this.#table.take(id);
    if (call !== undefined) call.reject(error(call.method));
  }

  /** Rejects every call in flight (the actor is gone) and disarms the timer. */
  rejectAll(error: (method: string) => Error): void {
    for (const call of this.#table.takeAll()) call.reject(error(call.method));
  }
}
