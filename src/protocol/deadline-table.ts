/**
 * Things waiting with a deadline (a `performance.now()` time in ms), keyed by integer id, under ONE timer
 * armed for the earliest deadline. One timer per call would cost a timer allocation and a cancellation per
 * round trip; this one re-arms when it fires, so with a constant timeout a busy table re-arms about once
 * per timeout. Both sides of a thread keep calls this way: the host's call table (`runtime/call-table.ts`)
 * and a worker's calls to a peer (`worker/peer-calls.ts`), which is why it sits on the floor they share.
 */
import { MAX_TIMER_MS } from '../options/defaults.js';

/** What a table holds: anything with a deadline (`Infinity`: none yet, or never). */
export interface Deadlined {
  deadline: number;
}

/** Waiting items by id; `expire` gets each one whose deadline has passed, after it left the table. */
export class DeadlineTable<T extends Deadlined> {
  readonly #pending = new Map<number, T>();
  readonly #expire: (item: T) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  constructor(expire: (item: T) => void) {
    this.#expire = expire;
  }

  /** How many items wait. */
  get size(): number {
    return this.#pending.size;
  }

  /** `true` while item `id` waits (it has not expired or been taken). */
  has(id: number): boolean {
    return this.#pending.has(id);
  }

  /** Adds item `id`, waiting until its `deadline`. */
  add(id: number, item: T): void {
    this.#pending.set(id, item);
    if (item.deadline < this.#armedFor) this.#arm(item.deadline);
  }

  /** Moves the deadline of an item that waits. */
  move(item: T, deadline: number): void {
    item.deadline = deadline;
    if (deadline < this.#armedFor) this.#arm(deadline);
  }

  /** Takes item `id` out; `undefined` when it is not there (it expired, or was taken). */
  take(id: number): T | undefined {
    const item = this.#pending.get(id);
    if (item !== undefined) this.#pending.delete(id);
    return item;
  }

  /** Empties the table and disarms its timer; returns what waited. */
  takeAll(): T[] {
    const items = [...this.#pending.values()];
    this.#pending.clear();
    this.#disarm();
    return items;
  }

  #arm(deadline: number): void {
    this.#disarm();
    this.#armedFor = deadline;
    const delay = Math.min(Math.max(1, Math.ceil(deadline - performance.now())), MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#sweep(), delay);
    // Calls only exist while a thread (which keeps the process alive on its own) does.
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
    const expired: T[] = [];
    for (const [id, item] of this.#pending) {
      if (item.deadline <= now) {
        this.#pending.delete(id);
        expired.push(item);
      } else if (item.deadline < next) {
        next = item.deadline;
      }
    }
    if (next !== Infinity) this.#arm(next);
    for (const item of expired) this.#expire(item);
  }
}
