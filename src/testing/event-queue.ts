/**
 * A min-heap of virtual-time events, first in first out among equal times: the simulator's only notion
 * of "later". Ordering by (time, sequence) is what makes a run reproducible.
 */
export class EventQueue<T> {
  #times: number[] = [];
  #seqs: number[] = [];
  #items: T[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  push(time: number, item: T): void {
    let i = this.#items.length;
    const seq = this.#seq++;
    this.#times.push(time);
    this.#seqs.push(seq);
    this.#items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** The earliest time queued (undefined when empty). */
  peekTime(): number | undefined {
    return this.#times[0];
  }

  pop(): { time: number; item: T } | undefined {
    const n = this.#items.length;
    if (n === 0) return undefined;
    const time = this.#times[0]!;
    const item = this.#items[0]!;
    this.#swap(0, n - 1);
    this.#times.pop();
    this.#seqs.pop();
    this.#items.pop();
    let i = 0;
    const size = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && this.#less(l, m)) m = l;
      if (r < size && this.#less(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
    return { time, item };
  }

  #less(a: number, b: number): boolean {
    const ta = this.#times[a]!;
    const tb = this.#times[b]!;
    return ta < tb || (ta === tb && this.#seqs[a]! < this.#seqs[b]!);
  }

  #swap(a: number, b: number): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const items = this.#items;
    const t = times[a]!;
    times[a] = times[b]!;
    times[b] = t;
    const s = seqs[a]!;
    seqs[a] = seqs[b]!;
    seqs[b] = s;
    const i = items[a]!;
    items[a] = items[b]!;
    items[b] = i;
  }
}
