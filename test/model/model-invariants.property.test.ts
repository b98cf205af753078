// The invariants of docs/semantics.md hold for the reference model over 1000 random scenarios, and the
// checkers do catch broken traces (a checker that never fails proves nothing).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { scenarioArbitrary } from '../../src/testing/arbitraries.js';
import { formatScenario } from '../../src/testing/format.js';
import type { TraceEvent } from '../../src/testing/types.js';
import { checkInvariants, formatViolations } from './invariants.js';
import { runModel } from './reference-model.js';
import { run, w } from './helpers.js';

/** Fixed so a failure reproduces; override with FC_SEED=<n> to explore. */
const SEED = Number(process.env.FC_SEED ?? 20_240_611);

describe('the reference model under random scenarios', () => {
  it('keeps every invariant over 1000 trees and fault schedules', () => {
    let events = 0;
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const result = runModel(scenario.spec, scenario.faults, { seed: scenario.seed });
        events += result.trace.length;
        const violations = checkInvariants(scenario.spec, result.trace, result);
        if (violations.length > 0) {
          throw new Error(`${formatViolations(result.trace, violations)}\n\nScenario:\n${formatScenario(scenario)}`);
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
    // Guards against a generator that produces only trivial runs.
    expect(events).toBeGreaterThan(20_000);
  });

  it('is deterministic: the same scenario and seed give the same trace', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), ({ spec, faults, seed }) => {
        expect(runModel(spec, faults, { seed }).trace).toEqual(runModel(spec, faults, { seed }).trace);
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  it('produces scenarios that reach every kind of trace event', () => {
    const seen = new Set<string>();
    for (const { spec, faults, seed } of fc.sample(scenarioArbitrary(), { numRuns: 300, seed: SEED })) {
      for (const e of runModel(spec, faults, { seed }).trace) seen.add(e.type === 'supervisor_exited' || e.type === 'exited' ? `${e.type}:${e.reason}` : e.type);
    }
    for (const kind of ['start', 'started', 'start_failed', 'stop', 'restart_scheduled', 'intensity_exceeded', 'exited:hung', 'exited:killed', 'exited:max_intensity', 'supervisor_exited:max_intensity', 'supervisor_exited:start_failed', 'supervisor_exited:shutdown']) {
      expect(seen).toContain(kind);
    }
  });
});

describe('the invariant checkers catch broken traces', () => {
  const spec = { strategy: 'rest_for_one' as const, maxRestarts: 1, backoff: { initialMs: 100, maxMs: 400 }, children: [w('a'), w('b'), w('c')] };
  const good = run(spec, [{ at: 10, path: 'b', fault: 'crash', reason: 'error' }], { untilMs: 1000 });
  const names = (trace: TraceEvent[]) => [...new Set(checkInvariants(spec, trace).map((v) => v.invariant))];
  const edit = (f: (t: TraceEvent[]) => void): TraceEvent[] => {
    const copy = good.trace.map((e) => structuredClone(e));
    f(copy);
    return copy;
  };
  const at = (t: TraceEvent[], line: string) => t.findIndex((e) => `${e.t} ${e.type} ${'child' in e ? e.child : ''}`.startsWith(line));

  it('accepts the model’s own trace', () => {
    expect(checkInvariants(spec, good.trace, good)).toEqual([]);
  });

  it('accepts a waiting exit taken as a stop by a restart’s sibling stops (no restart decision due)', () => {
    // w0's exit waits while w3 starts slowly; the next one_for_all restart takes it as w0's stop.
    const tricky = {
      strategy: 'one_for_all' as const,
      children: [w('a', { shutdown: 2000 }), w('b', { restart: 'transient', shutdown: 'brutal_kill' }), w('c')],
    };
    const r = run(tricky, [
      { at: 1, path: 'c', fault: 'slow_start', ms: 100 },
      { at: 10, path: 'b', fault: 'crash', reason: 'error' },
      { at: 50, path: 'a', fault: 'crash', reason: 'shutdown' },
      { at: 60, path: 'b', fault: 'crash', reason: 'error' },
    ], { untilMs: 1000 });
    expect(r.lines).toContain('110 / exited a shutdown');
    expect(r.lines).not.toContain('110 / stop a');
    expect(checkInvariants(tricky, r.trace, r)).toEqual([]);
  });

  it('flags a rest_for_one restart that stops an earlier sibling', () => {
    const broken = edit((t) => {
      const i = at(t, '10 restart_scheduled');
      t.splice(i + 1, 0, { t: 10, sup: '', type: 'stop', child: 'a' }, { t: 10, sup: '', type: 'exited', child: 'a', reason: 'shutdown' });
    });
    expect(names(broken)).toContain('rest_for_one');
  });

  it('flags a wrong restart group, a wrong delay and stops out of order', () => {
    expect(names(edit((t) => Object.assign(t[at(t, '10 restart_scheduled')]!, { children: ['b'] })))).toContain('rest_for_one');
    expect(names(edit((t) => Object.assign(t[at(t, '10 restart_scheduled')]!, { delayMs: 200 })))).toContain('backoff');
    const reversed = edit((t) => {
      const i = at(t, '1000 stop c');
      const stops = t.splice(i, 6);
      t.splice(i, 0, ...stops.slice(4, 6), ...stops.slice(2, 4), ...stops.slice(0, 2));
    });
    expect(names(reversed)).toContain('stop_order');
  });

  it('flags a restart past the intensity, a missing restart and a leftover child', () => {
    const twice = run(spec, [
      { at: 10, path: 'c', fault: 'crash', reason: 'error' },
      { at: 500, path: 'c', fault: 'crash', reason: 'error' },
    ], { untilMs: 2000 });
    expect(twice.lines).toContain('500 / intensity_exceeded');
    const allowed = twice.trace.map((e) => structuredClone(e));
    const i = allowed.findIndex((e) => e.type === 'intensity_exceeded');
    allowed.splice(i, allowed.length - i, { t: 500, sup: '', type: 'restart_scheduled', children: ['c'], delayMs: 200 });
    expect(names(allowed)).toContain('intensity');
    expect(names(edit((t) => t.splice(at(t, '10 restart_scheduled'), 1)))).toContain('restart_decision');
    expect(checkInvariants(spec, good.trace, { running: ['a'], pendingTimers: 1 }).map((v) => v.invariant)).toEqual(['final_state', 'final_state']);
  });
});
