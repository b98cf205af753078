/**
 * Where a pool's dead letters go: a bounded in-memory box, and optionally the user's callback or store.
 * Nothing is dropped silently: a full box drops its oldest letter with a log line, an event and a
 * counter; a failing sink is logged with its stack and counted, and the letter stays in the box.
 */
import type { DeadLetter } from '../protocol/dead-letter.js';
import { serializeError, type SerializedError } from '../protocol/serialized-error.js';
import type { DeadLetterBox, DeadLetterSink } from './types.js';

/** What the box tells its pool. */
export interface DeadLetterHooks {
  dropped(letter: DeadLetter): void;
  sinkFailed(letter: DeadLetter, error: unknown, serialized: SerializedError): void;
}

/** The in-memory box plus the optional sink. */
export class DeadLetters implements DeadLetterBox {
  readonly #letters: DeadLetter[] = [];
  readonly #capacity: number;
  readonly #sink: DeadLetterSink | undefined;
  #hooks: DeadLetterHooks | undefined;

  constructor(capacity: number, sink: DeadLetterSink | undefined) {
    this.#capacity = capacity;
    this.#sink = sink;
  }

  /**
   * Reports drops and sink failures to `hooks` from now on: the pool running now. A pool child's box
   * outlives its incarnations (its supervisor restarts the pool, the letters stay).
   */
  attach(hooks: DeadLetterHooks): void {
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#letters.length;
  }

  list(): DeadLetter[] {
    return [...this.#letters];
  }

  drain(): DeadLetter[] {
    return this.#letters.splice(0, this.#letters.length);
  }

  /** Hands `letter` to the sink, or keeps it in the box when there is none or it fails. */
  put(letter: DeadLetter): void {
    const sink = this.#sink;
    if (sink === undefined) return this.#keep(letter);
    const failed = (error: unknown): void => {
      this.#hooks?.sinkFailed(letter, error, serializeError(error));
      this.#keep(letter);
    };
    try {
      if (typeof sink === 'function') {
        sink(letter);
        return;
      }
      // A store may return a non-promise by mistake; Promise.resolve makes both shapes one.
      Promise.resolve(sink.put(letter)).then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  }

  #keep(letter: DeadLetter): void {
    this.#letters.push(letter);
    if (this.#letters.length > this.#capacity) this.#hooks?.dropped(this.#letters.shift() as DeadLetter);
  }
}
