import type { Clock } from '../seams/clock.js';
import { EventQueue } from './event-queue.js';

/**
 * A clock that only moves when told to. Timers fire in (due time, creation) order, and between two
 * timers every pending promise callback runs, so the shell behaves as it would with real time, minus
 * the waiting and the luck.
 */
export class VirtualClock implements Clock {
  #now = 0;
  readonly #queue = new EventQueue<{ id: number; fn: () => void }>();
  readonly #live = new Set<number>();
  #nextId = 1;

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#live.add(id);
    this.#queue.push(this.#now + Math.max(0, ms), { id, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.#live.delete(handle as number);
  }

  /** Timers not yet fired nor cleared. */
  get pendingTimers(): number {
    return this.#live.size;
  }

  /** Fires, in order, every timer due within `ms` from now, settling promises between them. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    for (let t = this.#queue.peekTime(); t !== undefined && t <= until; t = this.#queue.peekTime()) {
      const { time, item } = this.#queue.pop()!;
      if (!this.#live.delete(item.id)) continue;
      this.#now = time;
      item.fn();
      await settle();
    }
    this.#now = until;
  }

  /** Fires timers until none is left (or `limitMs` of virtual time has passed). */
  async runAll(limitMs = 3_600_000): Promise<void> {
    const until = this.#now + limitMs;
    await settle();
    while (this.#live.size > 0) {
      const t = this.#queue.peekTime();
      if (t === undefined || t > until) break;
      await this.advance(t - this.#now);
    }
  }
}

/** Lets every queued promise callback (and the ones they queue) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
