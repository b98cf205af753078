// The pool's deadline heap (no threads: a pure structure): whatever is added and removed, pops come out
// earliest first and exactly the items still in.
import fc from 'fast-check';
import { Deadlines } from '../../src/pool/deadlines.js';

interface Item {
  id: number;
  deadline: number;
  heapIndex: number;
}

describe('Deadlines', () => {
  it('pops what is left, earliest first, after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const heap = new Deadlines<Item>();
        const items = ops.map(([deadline], id) => ({ id, deadline, heapIndex: -1 }));
        for (const item of items) heap.add(item);
        ops.forEach(([, drop], i) => {
          if (drop) heap.remove(items[i]!);
        });
        // Removing twice is harmless.
        if (items.length > 0 && ops[0]![1]) heap.remove(items[0]!);
        const kept = items.filter((_, i) => !ops[i]![1]);
        expect(heap.size).toBe(kept.length);
        const popped: number[] = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item.deadline);
        expect(popped).toEqual(kept.map((i) => i.deadline).sort((a, b) => a - b));
        expect(items.every((i) => i.heapIndex === -1)).toBe(true);
      }),
    );
  });
});
