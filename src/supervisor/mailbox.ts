/**
 * A FIFO that serializes every input of a supervisor (child exits, timers, API calls) so the core sees
 * them one at a time, in arrival order, and no two decisions race. Handling an input may post more; they
 * queue behind it instead of re-entering.
 */
export class Mailbox<T> {
  readonly #queue: T[] = [];
  readonly #handle: (item: T) => void;
  readonly #onError: (error: unknown, item: T) => void;
  #draining = false;
  #closed = false;

  constructor(handle: (item: T) => void, onError: (error: unknown, item: T) => void) {
    this.#handle = handle;
    this.#onError = onError;
  }

  /** Queues `item` and, unless already draining, handles everything queued before returning. */
  post(item: T): void {
    if (this.#closed) return;
    this.#queue.push(item);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        try {
          this.#handle(next);
        } catch (error) {
          // A throwing handler is a broken invariant in the supervisor itself: report it, stop taking input.
          this.#closed = true;
          this.#queue.length = 0;
          this.#onError(error, next);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Drops what is queued and ignores later posts (the supervisor has exited). */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }
}
