import fc from 'fast-check';
import { scenarioArbitrary } from '../../src/testing/arbitraries.js';
import { simulate } from '../../src/testing/simulator.js';
import { formatScenario, formatTraceDiff } from '../../src/testing/format.js';
import type { ChildSpec } from '../../src/core/child-spec.js';
import type { BackoffOptions } from '../../src/core/backoff.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { Fault, TraceEvent } from '../../src/testing/types.js';
import { fixture, threadsAlive } from './worker-harness.js';
import { replay, spaced } from './replay.js';

const module = fixture('replay.mjs');

/** Real threads cannot be hung, slowed or OOM-ed cheaply and on cue, and cannot kill themselves. */
function replayable(f: Fault): boolean {
  if (f.fault === 'crash') return f.reason === 'error' || f.reason === 'exit' || f.reason === 'shutdown';
  return f.fault === 'exit_normal' || (f.fault === 'fail_starts' && f.count <= 3);
}

/**
 * Timings aside: the simulator spaces faults far apart while the replay fires each as soon as the tree is
 * idle, so windows that depend on elapsed time (the intensity period, the backoff reset) are made longer
 * than either run. Short backoffs keep a run quick; shutdowns are long enough for a real thread to stop.
 */
const FOREVER = 1e9;
function forThreads(spec: SupervisorSpec): SupervisorSpec {
  const backoff = (b: BackoffOptions | false | undefined) =>
    b ? { ...b, initialMs: Math.min(b.initialMs, 20), maxMs: Math.min(b.maxMs, 50), resetAfterMs: FOREVER } : b;
  const child = (c: ChildSpec): ChildSpec =>
    c.type === 'supervisor'
      ? ({ ...c, ...forThreads(c), backoff: backoff(c.backoff) } as ChildSpec)
      : { ...c, backoff: backoff(c.backoff), ...(typeof c.shutdown === 'number' ? { shutdown: Math.max(c.shutdown, 5000) } : {}) };
  return { ...spec, periodMs: FOREVER, backoff: backoff(spec.backoff), children: spec.children.map(child) };
}

const timeless = (trace: readonly TraceEvent[]) => trace.map((e) => ({ ...e, t: 0 }));

describe('fault schedules replayed on real worker threads', () => {
  afterEach(async () => {
    expect(await threadsAlive()).toBe(0);
  });

  it('produce the same order of events as the simulator for the same schedule', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary({ maxDepth: 2, maxChildren: 3, maxFaults: 6 }), async (scenario) => {
        const spec = forThreads(scenario.spec);
        const faults = scenario.faults.filter(replayable);
        const sim = spaced(faults);
        const expected = timeless(simulate(spec, sim.faults, { seed: scenario.seed, untilMs: sim.untilMs }).trace);
        const actual = timeless(await replay(spec, faults, scenario.seed, module));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          throw new Error(`real threads and the simulator disagree\n${formatScenario({ spec, faults: sim.faults, seed: scenario.seed })}\n${formatTraceDiff(expected, actual)}`);
        }
      }),
      { numRuns: 30, seed: Number(process.env.FC_SEED ?? 20261125), endOnFailure: true },
    );
  }, 240_000);
});
