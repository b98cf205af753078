/**
 * The pool's deadlines (job timeouts, abort graces) in a binary min-heap indexed by position, so the one
 * timer finds what is due in O(log n) per job and a settled job leaves it in O(log n). A sweep that walked
 * every timed job on each turn cost O(n²) with thousands of queued timed jobs.
 */

/** What the heap orders: a `deadline` (ms, `performance.now()` time) and its slot, kept by the heap (-1: out). */
export interface Timed {
  deadline: number;
  heapIndex: number;
}

export class Deadlines<T extends Timed> {
  readonly #heap: T[] = [];

  get size(): number {
    return this.#heap.length;
  }

  /** The earliest, or `undefined`. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  add(item: T): void {
    item.heapIndex = this.#heap.length;
    this.#heap.push(item);
    this.#up(item.heapIndex);
  }

  /** Takes `item` out, wherever it is; nothing when it is not in. */
  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0 || this.#heap[i] !== item) return;
    const last = this.#heap.pop()!;
    item.heapIndex = -1;
    if (last === item) return;
    this.#heap[i] = last;
    last.heapIndex = i;
    this.#down(i);
    this.#up(last.heapIndex);
  }

  /** Takes out and returns the earliest. */
  pop(): T | undefined {
    const top = this.#heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.deadline <= heap[i]!.deadline) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left]!.deadline < heap[least]!.deadline) least = left;
      if (right < heap.length && heap[right]!.deadline < heap[least]!.deadline) least = right;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    const x = heap[a]!;
    const y = heap[b]!;
    heap[a] = y;
    heap[b] = x;
    x.heapIndex = b;
    y.heapIndex = a;
  }
}
