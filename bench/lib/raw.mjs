// The hand-written baseline the call and pool rows compare with: bare threads answering [id, value] with
// [id, value] (fixtures/raw-echo.mjs), and the thinnest promise-based client one would write over them.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const rawEcho = new URL('../fixtures/raw-echo.mjs', import.meta.url);

/** Spawns a bare echo thread and resolves when it has loaded (its first message). */
export async function startRaw() {
  const worker = new Worker(rawEcho);
  await once(worker, 'message');
  return worker;
}

/**
 * Pipelined RPC over postMessage to one or more bare threads: one message per call, an id, a map, a
 * resolve, and the threads taken round-robin. No batching: this is the naive transport a pool must beat.
 */
export class RawClient {
  #workers;
  #pending = new Map();
  #seq = 0;
  #next = 0;

  constructor(workers) {
    this.#workers = workers;
    const onMessage = (message) => {
      if (!Array.isArray(message)) return;
      const resolve = this.#pending.get(message[0]);
      this.#pending.delete(message[0]);
      resolve(message[1]);
    };
    for (const worker of workers) worker.on('message', onMessage);
  }

  call(value) {
    const id = ++this.#seq;
    const worker = this.#workers[this.#next];
    this.#next = (this.#next + 1) % this.#workers.length;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage([id, value]);
    });
  }
}
