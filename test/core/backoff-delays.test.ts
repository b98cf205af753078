// Issue 8.3: a backoff delay is finite, whole ms and within [0, maxMs] for every accepted option and any
// attempt count, and the delays the core reports carry no float noise.
import fc from 'fast-check';
import { backoffDelay, backoffSchema, type Backoff } from '../../src/core/backoff.js';
import { step } from '../../src/core/machine.js';
import { createSupervisorState } from '../../src/core/state.js';
import { parseSupervisorSpec } from '../../src/core/validate.js';
import type { Effect } from '../../src/core/events.js';
import { simulate } from '../../src/testing/simulator.js';
import { w } from '../helpers/trace.js';

/** Candidate options, edge values included; only those the schema accepts are used. */
const candidate = fc.record({
  initialMs: fc.oneof(fc.constantFrom(0, 1, 0.5, 2 ** 31 - 1), fc.double({ min: 0, max: 2 ** 31 - 1, noNaN: true })),
  maxMs: fc.oneof(fc.constantFrom(0, 0.5, 1000, 2 ** 31 - 1), fc.double({ min: 0, max: 2 ** 31 - 1, noNaN: true })),
  factor: fc.oneof(fc.constantFrom(1, 2, 10, 1e308), fc.double({ min: 1, max: 1e6, noNaN: true })),
  jitter: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
});
const accepted = candidate
  .map((c) => backoffSchema.safeParse(c))
  .filter((r) => r.success)
  .map((r) => r.data as Backoff);

describe('backoff delays', () => {
  it('are finite whole ms within [0, maxMs] for any accepted options and attempt counts up to 1e6', () => {
    fc.assert(
      fc.property(accepted, fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 1_000_000 })), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (backoff, attempt, r) => {
        const d = backoffDelay(backoff, attempt, () => r);
        return Number.isInteger(d) && d >= 0 && d <= backoff.maxMs;
      }),
      { numRuns: 2000 },
    );
  });

  it('stay at 0 when initialMs is 0, past the attempt where 2^attempt overflows (0 x Infinity)', () => {
    const backoff: Backoff = { initialMs: 0, maxMs: 1000, factor: 2, jitter: 0.5, resetAfterMs: 30_000 };
    for (const attempt of [1, 1024, 1025, 1100, 1_000_000]) expect(backoffDelay(backoff, attempt, () => 0.3)).toBe(0);
  });

  it('stay at maxMs once the growth overflows', () => {
    const backoff: Backoff = { initialMs: 1, maxMs: 1000, factor: 2, jitter: 0, resetAfterMs: 30_000 };
    expect(backoffDelay(backoff, 2000, () => 0)).toBe(1000);
  });

  it('never round past a fractional maxMs', () => {
    const backoff: Backoff = { initialMs: 10.6, maxMs: 10.6, factor: 2, jitter: 0, resetAfterMs: 30_000 };
    expect(backoffDelay(backoff, 1, () => 0)).toBe(10);
  });

  it('keep every delay of a 1100-crash loop finite in the simulator (restarts 1025 and later were NaN)', () => {
    const faults = Array.from({ length: 1100 }, (_, i) => ({ at: 10 * (i + 1), path: 'w', fault: 'crash' as const, reason: 'error' as const }));
    const r = simulate({ maxRestarts: 1000, periodMs: 1, backoff: { initialMs: 0, maxMs: 1000 }, children: [w('w')] }, faults, { untilMs: 20_000 });
    const delays = r.trace.flatMap((e) => (e.type === 'restart_scheduled' ? [e.delayMs] : []));
    expect(delays).toHaveLength(1100);
    expect(delays.every((d) => d === 0)).toBe(true);
  });

  it('are reported in whole ms even when now is fractional', () => {
    // Chosen so that (now + 1200) - now is 1200.0000000000002 in floating point.
    const now = 1000.3;
    expect(now + 1200 - now).not.toBe(1200);
    const spec = parseSupervisorSpec({ backoff: { initialMs: 1200, maxMs: 5000 }, children: [w('a')] });
    let state = createSupervisorState({ name: 'root', flags: spec, children: spec.children, random: () => 0.5, dynamic: null });
    const effects: Effect[] = [];
    for (const [input, at] of [[{ type: 'init' }, 0], [{ type: 'started', id: 'a' }, 1], [{ type: 'exited', id: 'a', reason: { kind: 'exit', code: 1 } }, now]] as const) {
      const result = step(state, input, at);
      state = result.state;
      effects.push(...result.effects);
    }
    const scheduled = effects.flatMap((e) => (e.type === 'report' && e.report.type === 'restart_scheduled' ? [e.report.delayMs] : e.type === 'schedule' ? [e.delayMs] : []));
    expect(scheduled).toEqual([1200, 1200]);
  });
});
