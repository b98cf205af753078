import fc from 'fast-check';
import { addRestart } from '../../src/core/restart-intensity.js';

describe('restart intensity', () => {
  it('allows exactly maxRestarts within the period and refuses one more', () => {
    let stamps: number[] = [];
    for (const t of [0, 10, 20]) {
      const v = addRestart(stamps, t, 3, 1000);
      expect(v.allowed).toBe(true);
      stamps = v.restarts;
    }
    expect(addRestart(stamps, 30, 3, 1000).allowed).toBe(false);
  });

  it('still counts a restart exactly periodMs old, as OTP does', () => {
    expect(addRestart([0], 1000, 1, 1000).allowed).toBe(false);
    expect(addRestart([0], 1001, 1, 1000).allowed).toBe(true);
  });

  it('escalates on the first restart when maxRestarts is 0', () => {
    expect(addRestart([], 0, 0, 1000).allowed).toBe(false);
  });

  it('never allows more than maxRestarts restarts within any window of periodMs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 200 }), (gaps, max, period) => {
        let stamps: number[] = [];
        const allowed: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          const v = addRestart(stamps, now, max, period);
          if (!v.allowed) return true; // the supervisor would have given up here
          stamps = v.restarts;
          allowed.push(now);
        }
        return allowed.every((t) => allowed.filter((u) => u <= t && t - u <= period).length <= max);
      }),
      { numRuns: 500 },
    );
  });
});
