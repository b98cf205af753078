// The exported arbitraries produce valid, varied specs and schedules; the formatters print pasteable code.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { supervisorSpecSchema } from '../../src/core/supervisor-flags.js';
import type { ChildSpec } from '../../src/core/child-spec.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import { faultScheduleArbitrary, scenarioArbitrary, treeArbitrary, workerPaths } from '../../src/testing/arbitraries.js';
import { formatScenario, formatTraceDiff, formatTraceEvent } from '../../src/testing/format.js';
import type { TraceEvent } from '../../src/testing/types.js';
import { s, w } from './helpers.js';

const SEED = 7;

function depth(spec: SupervisorSpec): number {
  return 1 + Math.max(0, ...spec.children.map((c) => (c.type === 'supervisor' ? depth(c) : 0)));
}

function allChildren(spec: SupervisorSpec): ChildSpec[] {
  return spec.children.flatMap((c) => (c.type === 'supervisor' ? [c, ...allChildren(c)] : [c]));
}

describe('treeArbitrary', () => {
  const trees = fc.sample(treeArbitrary(), { numRuns: 200, seed: SEED });

  it('produces specs the zod schema accepts (200 samples)', () => {
    for (const tree of trees) expect(() => supervisorSpecSchema.parse(tree)).not.toThrow();
  });

  it('covers depths 1 to 3, every strategy, restart type, shutdown kind and auto-shutdown', () => {
    const children = trees.flatMap(allChildren);
    const sups = [...trees, ...children.filter((c) => c.type === 'supervisor')];
    expect(new Set(trees.map(depth))).toEqual(new Set([1, 2, 3]));
    expect(new Set(sups.map((x) => x.strategy))).toEqual(new Set([undefined, 'one_for_one', 'one_for_all', 'rest_for_one']));
    expect(new Set(children.map((c) => c.restart))).toEqual(new Set([undefined, 'permanent', 'transient', 'temporary']));
    const shutdowns = new Set(children.filter((c) => c.type === 'worker').map((c) => (typeof c.shutdown === 'number' ? 'ms' : c.shutdown)));
    expect(shutdowns).toEqual(new Set([undefined, 'ms', 'brutal_kill', 'infinity']));
    expect(children.filter((c) => c.type === 'supervisor').every((c) => c.shutdown === undefined || c.shutdown === 'infinity')).toBe(true);
    expect(new Set(sups.map((x) => x.autoShutdown))).toEqual(new Set([undefined, 'never', 'any_significant', 'all_significant']));
    const backoffs = sups.map((x) => x.backoff).filter((b) => typeof b === 'object');
    expect(backoffs.some((b) => (b.jitter ?? 0) === 0)).toBe(true);
    expect(backoffs.some((b) => (b.jitter ?? 0) > 0)).toBe(true);
    expect(new Set(sups.map((x) => x.maxRestarts))).toEqual(new Set([undefined, 0, 1, 2, 3, 4, 5]));
  });

  it('gives children ids unique among their siblings and placeholder modules', () => {
    for (const sup of [...trees, ...trees.flatMap(allChildren).filter((c) => c.type === 'supervisor')]) {
      const ids = sup.children.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of sup.children) if (c.type === 'worker') expect(c.module).toBe(`sim:${c.id}`);
    }
  });

  it('respects maxDepth and maxChildren', () => {
    for (const tree of fc.sample(treeArbitrary({ maxDepth: 1, maxChildren: 2 }), { numRuns: 50, seed: SEED })) {
      expect(depth(tree)).toBe(1);
      expect(tree.children.length).toBeLessThanOrEqual(2);
    }
  });
});

describe('faultScheduleArbitrary and scenarioArbitrary', () => {
  const tree: SupervisorSpec = { children: [w('a'), s('jobs', {}, [w('q'), s('deep', {}, [w('x')])])] };

  it('aims faults at worker paths, at whole ms, sorted by time', () => {
    expect(workerPaths(tree)).toEqual(['a', 'jobs/q', 'jobs/deep/x']);
    for (const faults of fc.sample(faultScheduleArbitrary(tree, { maxFaults: 20, maxTimeMs: 500 }), { numRuns: 100, seed: SEED })) {
      expect(faults.length).toBeLessThanOrEqual(20);
      for (const f of faults) {
        expect(workerPaths(tree)).toContain(f.path);
        expect(Number.isInteger(f.at) && f.at >= 0 && f.at <= 500).toBe(true);
      }
      expect(faults.map((f) => f.at)).toEqual([...faults.map((f) => f.at)].sort((a, b) => a - b));
    }
  });

  it('gives a tree without workers an empty schedule', () => {
    expect(fc.sample(faultScheduleArbitrary({ children: [] }), 3)).toEqual([[], [], []]);
  });

  it('produces every fault kind and crash reason', () => {
    const faults = fc.sample(scenarioArbitrary(), { numRuns: 200, seed: SEED }).flatMap((x) => x.faults);
    expect(new Set(faults.map((f) => f.fault))).toEqual(new Set(['crash', 'exit_normal', 'hang', 'fail_starts', 'slow_start', 'slow_stop']));
    expect(new Set(faults.flatMap((f) => (f.fault === 'crash' ? [f.reason] : [])))).toEqual(new Set(['error', 'exit', 'oom', 'killed', 'shutdown']));
    expect(faults.some((f) => f.at === 0)).toBe(true);
  });
});

describe('formatScenario', () => {
  it('renders a scenario as TypeScript that evaluates back to the same scenario', () => {
    for (const scenario of fc.sample(scenarioArbitrary(), { numRuns: 50, seed: SEED })) {
      const code = formatScenario(scenario)
        .split('\n')
        .filter((l) => !l.startsWith('import'))
        .join('\n')
        .replace(/: SupervisorSpec/, '')
        .replace(/: Fault\[\]/, '');
      const worker = (c: object) => ({ ...c, type: 'worker' });
      const supervisor = (c: object) => ({ ...c, type: 'supervisor' });
      const evaluate = new Function('worker', 'supervisor', `${code}\nreturn { spec, faults, seed };`);
      const back = evaluate(worker, supervisor) as typeof scenario;
      expect(back).toEqual(scenario);
    }
  });

  it('reads like the user-facing API', () => {
    const text = formatScenario({
      spec: { strategy: 'one_for_all', children: [w('db', { shutdown: 'brutal_kill' }), s('jobs', { maxRestarts: 0 }, [w('q')])] },
      faults: [{ at: 10, path: 'jobs/q', fault: 'crash', reason: 'oom' }],
      seed: 3,
    });
    expect(text).toBe(
      [
        "import { supervisor, worker, type SupervisorSpec } from 'threadvisor';",
        "import type { Fault } from 'threadvisor/testing';",
        '',
        'const spec: SupervisorSpec = {',
        "  strategy: 'one_for_all',",
        '  children: [',
        "    worker({ id: 'db', module: 'sim:db', shutdown: 'brutal_kill' }),",
        "    supervisor({ id: 'jobs', maxRestarts: 0, children: [",
        "      worker({ id: 'q', module: 'sim:q' }),",
        '    ] }),',
        '  ],',
        '};',
        'const faults: Fault[] = [',
        "  { at: 10, path: 'jobs/q', fault: 'crash', reason: 'oom' },",
        '];',
        'const seed = 3;',
      ].join('\n'),
    );
  });
});

describe('formatTraceDiff', () => {
  const trace: TraceEvent[] = [
    { t: 0, sup: '', type: 'start', child: 'a' },
    { t: 0, sup: '', type: 'started', child: 'a' },
    { t: 10, sup: 'jobs', type: 'exited', child: 'q', reason: 'error' },
    { t: 10, sup: 'jobs', type: 'restart_scheduled', children: ['q'], delayMs: 100 },
    { t: 110, sup: 'jobs', type: 'start', child: 'q' },
  ];

  it('says so when the traces are equal', () => {
    expect(formatTraceDiff(trace, [...trace])).toBe('traces are equal (5 events)');
  });

  it('shows the first difference with context', () => {
    const actual = trace.map((e) => (e.type === 'restart_scheduled' ? { ...e, delayMs: 200 } : e));
    expect(formatTraceDiff(trace, actual, 1)).toBe(
      [
        'traces differ at event 3 (expected 5 events, actual 5):',
        '    [2] 10 /jobs exited q error',
        '  - [3] 10 /jobs restart_scheduled [q] after 100',
        '  - [4] 110 /jobs start q',
        '  + [3] 10 /jobs restart_scheduled [q] after 200',
        '  + [4] 110 /jobs start q',
      ].join('\n'),
    );
  });

  it('shows where one trace ends early', () => {
    expect(formatTraceDiff(trace, trace.slice(0, 4), 0)).toBe(
      ['traces differ at event 4 (expected 5 events, actual 4):', '  - [4] 110 /jobs start q', '  + [4] (end of trace)'].join('\n'),
    );
    expect(formatTraceEvent({ t: 1, sup: '', type: 'intensity_exceeded' })).toBe('1 / intensity_exceeded');
  });
});
