import { simulate } from '../../src/testing/simulator.js';
import type { Fault } from '../../src/testing/types.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import { lines, w } from '../helpers/trace.js';

const crash = (at: number, path: string, reason: 'error' | 'exit' | 'oom' | 'killed' | 'shutdown' = 'error'): Fault => ({ at, path, fault: 'crash', reason });
const run = (spec: SupervisorSpec, faults: Fault[], untilMs = 1000) => simulate(spec, faults, { untilMs });
const boot = (...ids: string[]) => ids.flatMap((id) => [`0 /: start ${id}`, `0 /: started ${id}`]);
const after = (trace: string[], at: number) => trace.filter((l) => Number(l.split(' ')[0]) >= at);

describe('the supervision core, driven by the simulator', () => {
  it('starts children in order and stops them in reverse order', () => {
    const r = run({ children: [w('a'), w('b'), w('c')] }, [], 100);
    expect(lines(r.trace)).toEqual([
      ...boot('a', 'b', 'c'),
      '100 /: stop c', '100 /: exited c shutdown', '100 /: stop b', '100 /: exited b shutdown', '100 /: stop a', '100 /: exited a shutdown',
      '100 /: supervisor_exited shutdown',
    ]);
    expect(r.running).toEqual([]);
    expect(r.pendingTimers).toBe(0);
  });

  it('one_for_one restarts only the child that crashed', () => {
    const r = run({ strategy: 'one_for_one', children: [w('a'), w('b'), w('c')] }, [crash(10, 'b')]);
    expect(after(lines(r.trace), 10).slice(0, 4)).toEqual(['10 /: exited b error', '10 /: restart [b] in 0', '10 /: start b', '10 /: started b']);
  });

  it('one_for_all stops the others in reverse order, then restarts all in order', () => {
    const r = run({ strategy: 'one_for_all', children: [w('a'), w('b'), w('c')] }, [crash(10, 'b')]);
    expect(after(lines(r.trace), 10).slice(0, 12)).toEqual([
      '10 /: exited b error', '10 /: restart [a,b,c] in 0',
      '10 /: stop c', '10 /: exited c shutdown', '10 /: stop a', '10 /: exited a shutdown',
      '10 /: start a', '10 /: started a', '10 /: start b', '10 /: started b', '10 /: start c', '10 /: started c',
    ]);
  });

  it('rest_for_one restarts the child and the ones after it, never the ones before', () => {
    const r = run({ strategy: 'rest_for_one', children: [w('a'), w('b'), w('c')] }, [crash(10, 'b')]);
    expect(after(lines(r.trace), 10).slice(0, 8)).toEqual([
      '10 /: exited b error', '10 /: restart [b,c] in 0', '10 /: stop c', '10 /: exited c shutdown',
      '10 /: start b', '10 /: started b', '10 /: start c', '10 /: started c',
    ]);
  });

  it('never restarts a temporary child, and restarts a transient one only after an abnormal exit', () => {
    const spec: SupervisorSpec = { children: [w('t', { restart: 'temporary' }), w('tr', { restart: 'transient' }), w('tr2', { restart: 'transient' })] };
    const r = run(spec, [crash(10, 't'), { at: 20, path: 'tr', fault: 'exit_normal' }, crash(30, 'tr2', 'shutdown'), crash(40, 'tr2')], 100);
    const l = after(lines(r.trace), 10);
    expect(l.slice(0, 3)).toEqual(['10 /: exited t error', '20 /: exited tr normal', '30 /: exited tr2 shutdown']);
    expect(l.some((x) => x.includes('restart ['))).toBe(false);
  });

  it('survives exactly maxRestarts restarts in the period and escalates on one more', () => {
    const spec: SupervisorSpec = { maxRestarts: 2, periodMs: 100, children: [w('a')] };
    const ok = run(spec, [crash(10, 'a'), crash(20, 'a')], 1000);
    expect(ok.exited).toBe('shutdown');
    const over = run(spec, [crash(10, 'a'), crash(20, 'a'), crash(30, 'a')], 1000);
    expect(over.exited).toBe('max_intensity');
    expect(after(lines(over.trace), 30)).toEqual(['30 /: exited a error', '30 /: intensity_exceeded', '30 /: supervisor_exited max_intensity']);
  });

  it('returns the final tree with each child\'s restart count', () => {
    const spec: SupervisorSpec = { children: [w('a'), { type: 'supervisor', id: 'sub', children: [w('x'), w('t', { restart: 'temporary' })] }] };
    const r = run(spec, [crash(10, 'a'), crash(20, 'a'), crash(30, 'sub/x'), crash(40, 'sub/t')], 1000);
    expect(r.tree).toEqual({
      path: '', phase: 'exited', exitReason: 'shutdown',
      children: [
        { id: 'a', type: 'worker', status: 'stopped', restartCount: 2 },
        { id: 'sub', type: 'supervisor', status: 'stopped', restartCount: 0, supervisor: {
          path: 'sub', phase: 'exited', exitReason: 'shutdown', children: [{ id: 'x', type: 'worker', status: 'stopped', restartCount: 1 }] } },
      ],
    });
  });

  it('forgets restarts older than periodMs', () => {
    const r = run({ maxRestarts: 1, periodMs: 100, children: [w('a')] }, [crash(10, 'a'), crash(111, 'a'), crash(212, 'a')], 1000);
    expect(r.exited).toBe('shutdown');
  });

  it('escalates on the first crash with maxRestarts 0', () => {
    expect(run({ maxRestarts: 0, children: [w('a')] }, [crash(10, 'a')]).exited).toBe('max_intensity');
  });

  it('counts a group restart once', () => {
    const r = run({ strategy: 'one_for_all', maxRestarts: 1, children: [w('a'), w('b'), w('c')] }, [crash(10, 'a')]);
    expect(r.exited).toBe('shutdown');
  });

  it('grows backoff delays exponentially up to maxMs', () => {
    const spec: SupervisorSpec = { maxRestarts: 100, periodMs: 100_000, backoff: { initialMs: 100, maxMs: 500, factor: 2 }, children: [w('a')] };
    const faults = [10, 1000, 2000, 3000, 4000].map((t) => crash(t, 'a'));
    const delays = run(spec, faults, 10_000).trace.flatMap((e) => (e.type === 'restart_scheduled' ? [e.delayMs] : []));
    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('starts backoff over after the child ran resetAfterMs', () => {
    const spec: SupervisorSpec = { maxRestarts: 100, periodMs: 100, backoff: { initialMs: 100, maxMs: 10_000, resetAfterMs: 1000 }, children: [w('a')] };
    const delays = run(spec, [crash(10, 'a'), crash(200, 'a'), crash(5000, 'a')], 10_000).trace.flatMap((e) => (e.type === 'restart_scheduled' ? [e.delayMs] : []));
    expect(delays).toEqual([100, 200, 100]);
  });

  it('uses a worker backoff of its own over the supervisor default', () => {
    const spec: SupervisorSpec = { backoff: { initialMs: 100, maxMs: 100 }, children: [w('a', { backoff: false }), w('b')] };
    const r = run(spec, [crash(10, 'a'), crash(10, 'b')]);
    expect(lines(r.trace).filter((l) => l.includes('restart ['))).toEqual(['10 /: restart [a] in 0', '10 /: restart [b] in 100']);
  });

  it('waits in the restarting state, then starts the child when its timer fires', () => {
    const r = run({ backoff: { initialMs: 250, maxMs: 1000 }, children: [w('a')] }, [crash(10, 'a')]);
    expect(after(lines(r.trace), 10).slice(0, 4)).toEqual(['10 /: exited a error', '10 /: restart [a] in 250', '260 /: start a', '260 /: started a']);
  });

  it('escalates through three levels to the root', () => {
    const spec: SupervisorSpec = {
      maxRestarts: 0,
      children: [{ type: 'supervisor', id: 'l1', maxRestarts: 0, children: [{ type: 'supervisor', id: 'l2', maxRestarts: 0, children: [w('leaf')] }] }],
    };
    const r = run(spec, [crash(10, 'l1/l2/leaf')]);
    expect(after(lines(r.trace), 10)).toEqual([
      '10 l1/l2: exited leaf error', '10 l1/l2: intensity_exceeded', '10 l1/l2: supervisor_exited max_intensity',
      '10 l1: exited l2 max_intensity', '10 l1: intensity_exceeded', '10 l1: supervisor_exited max_intensity',
      '10 /: exited l1 max_intensity', '10 /: intensity_exceeded', '10 /: supervisor_exited max_intensity',
    ]);
    expect(r.exited).toBe('max_intensity');
    expect(r.running).toEqual([]);
  });

  it('lets the first ancestor with budget left absorb an escalation', () => {
    const spec: SupervisorSpec = { children: [{ type: 'supervisor', id: 'sub', maxRestarts: 0, children: [w('x')] }] };
    const r = run(spec, [crash(10, 'sub/x')]);
    expect(after(lines(r.trace), 10).slice(3, 9)).toEqual([
      '10 /: exited sub max_intensity', '10 /: restart [sub] in 0', '10 /: start sub', '10 sub: start x', '10 sub: started x', '10 /: started sub',
    ]);
    expect(r.exited).toBe('shutdown');
  });

  it('restarts a transient supervisor that gave up (unlike OTP, which exits it with shutdown)', () => {
    const spec: SupervisorSpec = { children: [{ type: 'supervisor', id: 'sub', restart: 'transient', maxRestarts: 0, children: [w('x')] }] };
    expect(lines(run(spec, [crash(10, 'sub/x')]).trace)).toContain('10 /: restart [sub] in 0');
  });

  it('at start, stops the started children in reverse and never tries the later ones', () => {
    const r = run({ children: [w('a'), w('b'), w('c'), w('d')] }, [{ at: 0, path: 'c', fault: 'fail_starts', count: 1 }]);
    expect(lines(r.trace)).toEqual([
      ...boot('a', 'b'), '0 /: start c', '0 /: start_failed c',
      '0 /: stop b', '0 /: exited b shutdown', '0 /: stop a', '0 /: exited a shutdown', '0 /: supervisor_exited start_failed',
    ]);
  });

  it('retries a failed restart through a timer and counts each retry', () => {
    const r = run({ maxRestarts: 3, children: [w('a')] }, [{ at: 5, path: 'a', fault: 'fail_starts', count: 2 }, crash(10, 'a')]);
    expect(after(lines(r.trace), 10).slice(0, 9)).toEqual([
      '10 /: exited a error', '10 /: restart [a] in 0', '10 /: start a', '10 /: start_failed a', '10 /: restart [a] in 0',
      '10 /: start a', '10 /: start_failed a', '10 /: restart [a] in 0', '10 /: start a',
    ]);
    expect(r.exited).toBe('shutdown');
  });

  it('escalates a child that can never start instead of spinning', () => {
    const r = run({ maxRestarts: 3, children: [w('a')] }, [{ at: 5, path: 'a', fault: 'fail_starts', count: 1_000_000 }, crash(10, 'a')]);
    expect(r.exited).toBe('max_intensity');
    expect(r.trace.filter((e) => e.type === 'start_failed')).toHaveLength(3);
  });

  it('retries the whole group under one_for_all and from the failed child under rest_for_one', () => {
    const faults: Fault[] = [{ at: 5, path: 'b', fault: 'fail_starts', count: 1 }, crash(10, 'a')];
    const all = after(lines(run({ strategy: 'one_for_all', children: [w('a'), w('b'), w('c')] }, faults).trace), 10);
    expect(all.slice(8, 15)).toEqual(['10 /: start b', '10 /: start_failed b', '10 /: restart [a,b,c] in 0', '10 /: stop a', '10 /: exited a shutdown', '10 /: start a', '10 /: started a']);
    const rest = after(lines(run({ strategy: 'rest_for_one', children: [w('a'), w('b'), w('c')] }, faults).trace), 10);
    expect(rest.slice(8, 12)).toEqual(['10 /: start b', '10 /: start_failed b', '10 /: restart [b,c] in 0', '10 /: start b']);
  });

  it('kills a child that ignores its stop request after its shutdown timeout, then goes on in order', () => {
    const r = run({ children: [w('a'), w('b', { shutdown: 300 })] }, [{ at: 10, path: 'b', fault: 'hang' }], 100);
    expect(after(lines(r.trace), 100)).toEqual([
      '100 /: stop b', '400 /: exited b killed', '400 /: stop a', '400 /: exited a shutdown', '400 /: supervisor_exited shutdown',
    ]);
  });

  it('detects a hung worker and restarts it', () => {
    const r = run({ children: [w('a')] }, [{ at: 10, path: 'a', fault: 'hang' }], 5000);
    expect(after(lines(r.trace), 10).slice(0, 2)).toEqual(['2010 /: exited a hung', '2010 /: restart [a] in 0']);
  });

  it('kills a nested supervisor past its shutdown timeout, reporting each killed child, and kills its late starts as they land', () => {
    const spec: SupervisorSpec = { strategy: 'one_for_all', children: [{ type: 'supervisor', id: 'n', shutdown: 100, children: [w('x'), w('z', { shutdown: 'infinity' })] }, w('y')] };
    const faults: Fault[] = [{ at: 1, path: 'n/z', fault: 'slow_stop', ms: 5000 }, crash(20, 'y')];
    const r = run(spec, faults, 1000);
    expect(after(lines(r.trace), 20).slice(0, 8)).toEqual([
      '20 /: exited y error', '20 /: restart [n,y] in 0', '20 /: stop n', '20 n: stop z',
      '120 n: exited z killed', '120 n: exited x killed', '120 n: supervisor_exited killed', '120 /: exited n killed',
    ]);
    expect(r.running).toEqual([]);
    // A start still running in a killed supervisor cannot be cut short: the supervisor is gone once it has
    // landed and been killed, and it never answers the next incarnation.
    const late = simulate(
      { strategy: 'one_for_all', children: [{ type: 'supervisor', id: 'n', shutdown: 100, children: [w('x')] }, w('y')] },
      [{ at: 1, path: 'n/x', fault: 'slow_start', ms: 1000 }, crash(10, 'n/x'), crash(20, 'y')],
      { untilMs: 1100 },
    );
    expect(after(lines(late.trace), 20).slice(0, 6)).toEqual([
      '20 /: exited y error', '20 /: restart [n,y] in 0', '20 /: stop n', '1010 n: exited x killed', '1010 n: supervisor_exited killed', '1010 /: exited n killed',
    ]);
    expect(late.running).toEqual([]);
    expect(late.exited).toBe('shutdown');
  });

  it('stops the supervisor at once while a restart is pending, cancelling it', () => {
    const r = run({ backoff: { initialMs: 10_000, maxMs: 10_000 }, children: [w('a'), w('b')] }, [crash(10, 'a')], 100);
    expect(after(lines(r.trace), 100)).toEqual(['100 /: stop b', '100 /: exited b shutdown', '100 /: supervisor_exited shutdown']);
    expect(r.pendingTimers).toBe(0);
  });

  it('shuts down with any_significant when a significant child exits normally', () => {
    const spec: SupervisorSpec = { autoShutdown: 'any_significant', children: [w('a'), w('job', { restart: 'transient', significant: true })] };
    const r = run(spec, [{ at: 10, path: 'job', fault: 'exit_normal' }], 1000);
    expect(after(lines(r.trace), 10)).toEqual(['10 /: exited job normal', '10 /: stop a', '10 /: exited a shutdown', '10 /: supervisor_exited shutdown']);
  });

  it('shuts down with all_significant only once every significant child has exited', () => {
    const spec: SupervisorSpec = { autoShutdown: 'all_significant', children: [w('j1', { restart: 'temporary', significant: true }), w('j2', { restart: 'transient', significant: true }), w('a')] };
    const r = run(spec, [{ at: 10, path: 'j1', fault: 'exit_normal' }, { at: 20, path: 'j2', fault: 'exit_normal' }], 1000);
    expect(after(lines(r.trace), 10)).toEqual(['10 /: exited j1 normal', '20 /: exited j2 normal', '20 /: stop a', '20 /: exited a shutdown', '20 /: supervisor_exited shutdown']);
  });

  it('handles a crash during an operation after it, in arrival order', () => {
    const spec: SupervisorSpec = { strategy: 'one_for_all', children: [w('a'), w('b', { shutdown: 1000 }), w('c')] };
    const r = run(spec, [{ at: 1, path: 'b', fault: 'slow_stop', ms: 50 }, crash(10, 'a'), crash(20, 'c')], 500);
    // c's crash at 20 lands while b is still stopping (10..60): it counts as c's stop.
    expect(after(lines(r.trace), 10).slice(0, 6)).toEqual(['10 /: exited a error', '10 /: restart [a,b,c] in 0', '10 /: stop c', '10 /: exited c shutdown', '10 /: stop b', '60 /: exited b shutdown']);
  });

  it('reproduces a jittered run from its seed', () => {
    const spec: SupervisorSpec = { maxRestarts: 50, periodMs: 1000, backoff: { initialMs: 100, maxMs: 5000, jitter: 0.5 }, children: [w('a')] };
    const faults = [10, 2000, 4000, 8000].map((t) => crash(t, 'a'));
    const one = simulate(spec, faults, { seed: 42 });
    expect(simulate(spec, faults, { seed: 42 }).trace).toEqual(one.trace);
    expect(simulate(spec, faults, { seed: 43 }).trace).not.toEqual(one.trace);
  });
});
