/**
 * The calls an actor has in flight, keyed by integer id, with their timeouts.
 *
 * One timer per call would cost a timer allocation and a cancellation per round trip. Instead a single
 * timer is armed for the earliest deadline; when it fires it rejects what has expired and re-arms for the
 * next. With a constant timeout, deadlines only grow, so a busy actor re-arms about once per timeout.
 */
import { CallTimeoutError } from '../errors.js';
import { clampDelay } from './settings.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  method: string;
  timeoutMs: number;
  deadline: number;
}

/** In-flight calls of one actor incarnation. */
export class CallTable {
  readonly #pending = new Map<number, PendingCall>();
  #timer: NodeJS.Timeout | undefined;
  #armedFor = Infinity;

  /** How many calls are waiting for a reply. */
  get size(): number {
    return this.#pending.size;
  }

  /** Registers call `id`; the promise settles through {@link settle}, a timeout, or {@link rejectAll}. */
  add(id: number, method: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
      this.#pending.set(id, { resolve, reject, method, timeoutMs, deadline });
      if (deadline < this.#armedFor) this.#arm(deadline);
    });
  }

  /** Resolves call `id`; `false` when no such call waits (it timed out: the caller reports the drop). */
  resolve(id: number, value: unknown): boolean {
    const call = this.#pending.get(id);
    if (call === undefined) return false;
    this.#pending.delete(id);
    call.resolve(value);
    return true;
  }

  /** Rejects call `id` with the error built from its method name. */
  reject(id: number, error: (method: string) => Error): void {
    const call = this.#pending.get(id);
    if (call === undefined) return;
    this.#pending.delete(id);
    call.reject(error(call.method));
  }

  /** Rejects every call in flight (the actor is gone) and disarms the timer. */
  rejectAll(error: (method: string) => Error): void {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    this.#disarm();
    for (const call of calls) call.reject(error(call.method));
  }

  #arm(deadline: number): void {
    this.#disarm();
    this.#armedFor = deadline;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, clampDelay(deadline - performance.now())));
    // Calls only exist while the actor's thread (which keeps the process alive) does.
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
    const expired: PendingCall[] = [];
    for (const [id, call] of this.#pending) {
      if (call.deadline <= now) {
        this.#pending.delete(id);
        expired.push(call);
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next !== Infinity) this.#arm(next);
    for (const call of expired) call.reject(new CallTimeoutError(call.method, call.timeoutMs));
  }
}
