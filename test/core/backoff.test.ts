import fc from 'fast-check';
import { attemptAfterRun, backoffDelay, baseDelay, type Backoff } from '../../src/core/backoff.js';

const b = (o: Partial<Backoff> = {}): Backoff => ({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0, resetAfterMs: 30_000, ...o });
const never = () => {
  throw new Error('random must not be consulted without jitter');
};

describe('backoff', () => {
  it('doubles from initialMs and stops growing at maxMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(b(), n, never))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('grows by the given factor', () => {
    expect([1, 2, 3].map((n) => baseDelay(b({ factor: 3, maxMs: 10_000 }), n))).toEqual([100, 300, 900]);
  });

  it('means no delay at all without backoff', () => {
    expect(backoffDelay(null, 7, never)).toBe(0);
  });

  it('never lets jitter push a delay past maxMs or below zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (a, c, jitter, attempt, r) => {
          const backoff = b({ initialMs: Math.min(a, c), maxMs: Math.max(a, c), jitter });
          const d = backoffDelay(backoff, attempt, () => r);
          return d >= 0 && d <= backoff.maxMs;
        }),
      { numRuns: 500 },
    );
  });

  it('spreads a delay by at most the jitter fraction either way', () => {
    const backoff = b({ jitter: 0.2, maxMs: 100_000 });
    expect(backoffDelay(backoff, 2, () => 0)).toBe(160);
    expect(backoffDelay(backoff, 2, () => 0.5)).toBe(200);
    expect(backoffDelay(backoff, 2, () => 0.99999)).toBe(240);
  });

  it('starts over once the child ran resetAfterMs', () => {
    expect(attemptAfterRun(b({ resetAfterMs: 1000 }), 4, 0, 999)).toBe(4);
    expect(attemptAfterRun(b({ resetAfterMs: 1000 }), 4, 0, 1000)).toBe(0);
    expect(attemptAfterRun(b(), 4, undefined, 1e9)).toBe(4);
  });
});
