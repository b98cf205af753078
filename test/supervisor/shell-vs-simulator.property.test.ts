// The real supervisor shell (on the test kit's SimulatedHost and VirtualClock) against simulate(): both
// interpret the same core, so for the same tree and fault schedule their traces must be equal, event by
// event and at the same virtual times, including hangs, slow stops and the kill paths they lead to (a
// worker killed at its shutdown timeout, a nested supervisor killed at its timeout with its subtree).
import fc from 'fast-check';
import { scenarioArbitrary } from '../../src/testing/arbitraries.js';
import { simulate } from '../../src/testing/simulator.js';
import { formatScenario, formatTraceDiff } from '../../src/testing/format.js';
import type { ChildSpec, Shutdown } from '../../src/core/child-spec.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { Fault, TraceEvent } from '../../src/testing/types.js';
import { lines, w } from '../helpers/trace.js';
import { reasonShape, runShell } from './shell-replay.js';

const HANG_DETECT_MS = 2000;

/**
 * Faults far apart, so each one's consequences settle before the next. Between a parent and a nested
 * supervisor the shell hands inputs over at once and the simulator through its queue, and a failing
 * start is decided when it begins in the simulator but when it lands on the SimulatedHost: both only
 * show when unrelated things coincide in one virtual instant, which is not what this property is about.
 */
function spaced(faults: readonly Fault[], gap = 100_000): { faults: Fault[]; untilMs: number } {
  return { faults: faults.map((f, i) => ({ ...f, at: (i + 1) * gap })), untilMs: (faults.length + 1) * gap };
}

/** Hands the nested supervisors of `spec` the given shutdowns in turn (the arbitrary only makes `infinity`). */
function withSupervisorShutdowns(spec: SupervisorSpec, shutdowns: readonly Shutdown[]): SupervisorSpec {
  let next = 0;
  const map = (s: SupervisorSpec): SupervisorSpec => ({
    ...s,
    children: s.children.map((c): ChildSpec => (c.type === 'supervisor' ? { ...c, ...map(c), shutdown: shutdowns[next++ % shutdowns.length]! } : c)),
  });
  return map(spec);
}

const supervisorShutdown: fc.Arbitrary<Shutdown> = fc.oneof(
  fc.constant('infinity' as const),
  fc.constant('brutal_kill' as const),
  fc.integer({ min: 0, max: 3000 }),
);

/** Runs both and fails with the scenario and the first difference unless trace and root exit agree. */
async function compare(spec: SupervisorSpec, faults: Fault[], seed: number, untilMs: number): Promise<TraceEvent[]> {
  const sim = simulate(spec, faults, { seed, untilMs, hangDetectMs: HANG_DETECT_MS });
  const shell = await runShell(spec, faults, { seed, untilMs, hangDetectMs: HANG_DETECT_MS });
  const same = JSON.stringify(shell.trace) === JSON.stringify(sim.trace) && JSON.stringify(reasonShape(shell.exitReason)) === JSON.stringify(reasonShape(sim.exitReason));
  if (!same) {
    throw new Error(
      `the shell and the simulator disagree\n${formatScenario({ spec, faults, seed })}\n${formatTraceDiff(sim.trace, shell.trace)}\n` +
        `root exit: simulator ${JSON.stringify(reasonShape(sim.exitReason))}, shell ${JSON.stringify(reasonShape(shell.exitReason))}`,
    );
  }
  expect(shell.alive).toBe(0);
  expect(shell.pendingTimers).toBe(0);
  return sim.trace;
}

/** Which kill paths a trace went through, so the property can show it compared them. */
function killPaths(trace: readonly TraceEvent[]): { workerTimeout: boolean; supervisorKilled: boolean; hung: boolean } {
  const asked = new Set<string>();
  let workerTimeout = false;
  for (const e of trace) {
    if (e.type === 'stop') asked.add(`${e.sup}/${e.child}`);
    if (e.type === 'exited' && e.reason === 'killed' && asked.has(`${e.sup}/${e.child}`)) workerTimeout = true;
    if (e.type === 'exited' || e.type === 'start') asked.delete(`${e.sup}/${e.child}`);
  }
  return {
    workerTimeout,
    supervisorKilled: trace.some((e) => e.type === 'supervisor_exited' && e.reason === 'killed' && e.sup !== ''),
    hung: trace.some((e) => e.type === 'exited' && e.reason === 'hung'),
  };
}

const s = (id: string, extra: Record<string, unknown>, children: ChildSpec[]): ChildSpec => ({ type: 'supervisor', id, ...extra, children }) as ChildSpec;

describe('the shell on a simulated host against simulate()', () => {
  it('produces the same trace, at the same virtual times, for every kind of fault', async () => {
    const seen = { runs: 0, workerTimeout: 0, supervisorKilled: 0, hung: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary({ maxDepth: 3, maxChildren: 3, maxFaults: 8 }), fc.array(supervisorShutdown, { minLength: 1, maxLength: 6 }), async (scenario, shutdowns) => {
        const spec = withSupervisorShutdowns(scenario.spec, shutdowns);
        const { faults, untilMs } = spaced(scenario.faults);
        const paths = killPaths(await compare(spec, faults, scenario.seed, untilMs));
        seen.runs += 1;
        if (paths.workerTimeout) seen.workerTimeout += 1;
        if (paths.supervisorKilled) seen.supervisorKilled += 1;
        if (paths.hung) seen.hung += 1;
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 150), seed: Number(process.env.FC_SEED ?? 20261130), endOnFailure: true },
    );
    // The kill paths are really compared, not merely allowed.
    expect(seen.workerTimeout).toBeGreaterThan(seen.runs / 20);
    expect(seen.supervisorKilled).toBeGreaterThan(seen.runs / 10);
    expect(seen.hung).toBeGreaterThan(seen.runs / 20);
  }, 240_000);

  it('names a nested supervisor <parent name>/<id> in both, as in the max_intensity reason the root exits with', async () => {
    const spec: SupervisorSpec = { maxRestarts: 0, children: [s('jobs', { maxRestarts: 0 }, [w('q')])] };
    const faults: Fault[] = [{ at: 10, path: 'jobs/q', fault: 'crash', reason: 'error' }];
    await compare(spec, faults, 1, 1000);
    expect(simulate(spec, faults).exitReason).toMatchObject({ kind: 'max_intensity', supervisor: 'root', lastReason: { kind: 'max_intensity', supervisor: 'root/jobs' } });
  });

  it('kills a brutal_kill nested supervisor at once in both, a hung worker with infinity shutdown included', async () => {
    const spec: SupervisorSpec = { children: [s('n', { shutdown: 'brutal_kill' }, [w('x', { shutdown: 'infinity' }), w('y')])] };
    const trace = await compare(spec, [{ at: 10, path: 'n/x', fault: 'hang' }], 1, 100);
    expect(lines(trace).slice(-6)).toEqual([
      '100 /: stop n', '100 n: exited y killed', '100 n: exited x killed', '100 n: supervisor_exited killed', '100 /: exited n killed',
      '100 /: supervisor_exited shutdown',
    ]);
  });

  it('kills a nested supervisor at its timeout in both, its subtree depth first in reverse start order', async () => {
    const spec: SupervisorSpec = {
      children: [s('n', { shutdown: 500 }, [w('a'), s('m', {}, [w('b'), w('c')]), w('d', { shutdown: 'infinity' })])],
    };
    const trace = await compare(spec, [{ at: 10, path: 'n/d', fault: 'hang' }], 1, 100);
    expect(lines(trace).slice(-11)).toEqual([
      '100 /: stop n', '100 n: stop d',
      '600 n: exited d killed', '600 n/m: exited c killed', '600 n/m: exited b killed', '600 n/m: supervisor_exited killed',
      '600 n: exited m killed', '600 n: exited a killed', '600 n: supervisor_exited killed', '600 /: exited n killed',
      '600 /: supervisor_exited shutdown',
    ]);
  });

  it('waits for a start in flight when it kills a supervisor, in both, and kills what started as it lands', async () => {
    const spec: SupervisorSpec = { strategy: 'one_for_all', children: [s('n', { shutdown: 100 }, [w('x')]), w('y')] };
    const faults: Fault[] = [
      { at: 1, path: 'n/x', fault: 'slow_start', ms: 1000 },
      { at: 10, path: 'n/x', fault: 'crash', reason: 'error' },
      { at: 20, path: 'y', fault: 'crash', reason: 'error' },
    ];
    const trace = await compare(spec, faults, 1, 1100);
    expect(lines(trace).slice(6, 16)).toEqual([
      '10 n: exited x error', '10 n: restart [x] in 0', '10 n: start x',
      '20 /: exited y error', '20 /: restart [n,y] in 0', '20 /: stop n',
      // x's thread is still booting when n's timeout runs out at 120: n is gone once x has landed and been killed.
      '1010 n: exited x killed', '1010 n: supervisor_exited killed', '1010 /: exited n killed', '1010 /: start n',
    ]);
  });

  it('kills, in both, a nested supervisor that finishes starting only after its parent was killed', async () => {
    const spec: SupervisorSpec = { strategy: 'one_for_all', children: [s('n', { shutdown: 100 }, [w('z'), s('m', { maxRestarts: 0 }, [w('x')])]), w('y')] };
    const faults: Fault[] = [
      { at: 1, path: 'n/m/x', fault: 'slow_start', ms: 1000 },
      { at: 10, path: 'n/m/x', fault: 'crash', reason: 'error' },
      { at: 20, path: 'y', fault: 'crash', reason: 'error' },
    ];
    const trace = await compare(spec, faults, 1, 3000);
    expect(lines(trace).slice(13, 27)).toEqual([
      '10 n: exited m max_intensity', '10 n: restart [m] in 0', '10 n: start m', '10 n/m: start x',
      '20 /: exited y error', '20 /: restart [n,y] in 0', '20 /: stop n',
      // m is still starting when n's timeout runs out: n kills z, then waits for m to finish starting and kills it.
      '120 n: exited z killed', '1010 n/m: started x', '1010 n/m: exited x killed', '1010 n/m: supervisor_exited killed',
      '1010 n: exited m killed', '1010 n: supervisor_exited killed', '1010 /: exited n killed',
    ]);
  });

  it('reports, in both, a child that exits on its own while its killed supervisor waits for another', async () => {
    const spec: SupervisorSpec = { strategy: 'one_for_all', children: [s('n', { shutdown: 100 }, [w('z'), s('m', {}, [w('x')])]), w('y')] };
    const faults: Fault[] = [
      { at: 1, path: 'n/m/x', fault: 'slow_start', ms: 1000 },
      { at: 10, path: 'n/m/x', fault: 'crash', reason: 'error' },
      { at: 20, path: 'y', fault: 'crash', reason: 'error' },
      { at: 500, path: 'n/z', fault: 'crash', reason: 'oom' },
    ];
    const trace = await compare(spec, faults, 1, 3000);
    expect(lines(trace).slice(13, 23)).toEqual([
      // n asks m to stop; m's stop waits behind its restart of x, whose thread is still booting.
      '20 /: exited y error', '20 /: restart [n,y] in 0', '20 /: stop n', '20 n: stop m',
      // n's timeout: n kills m first (reverse start order), which waits for x's start; z crashes meanwhile.
      '500 n: exited z oom', '1010 n/m: exited x killed', '1010 n/m: supervisor_exited killed',
      '1010 n: exited m killed', '1010 n: supervisor_exited killed', '1010 /: exited n killed',
    ]);
  });
});
