// simulate() refuses a fault it could never apply, before anything runs: a typo in a path (or, from
// JavaScript, in a fault's kind or reason) must fail the test that wrote it, not make it pass vacuously.
import { describe, expect, it } from '@jest/globals';
import { InvalidSpecError } from '../../src/errors.js';
import { simulate } from '../../src/testing/simulator.js';
import type { Fault } from '../../src/testing/types.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import { lines, w } from '../helpers/trace.js';

const spec: SupervisorSpec = {
  children: [w('db'), { type: 'supervisor', id: 'jobs', children: [w('queue'), w('once', { restart: 'temporary' })] }],
};
const WORKERS = "faults aim at workers, and this tree's are 'db', 'jobs/queue', 'jobs/once'";

/** The error simulate() threw, or a failure if it ran. */
function refusal(faults: unknown[], options: Record<string, unknown> = {}, tree: SupervisorSpec = spec): InvalidSpecError {
  try {
    simulate(tree, faults as Fault[], options);
  } catch (error) {
    if (error instanceof InvalidSpecError) return error;
    throw error;
  }
  throw new Error('simulate() accepted the faults');
}

describe('simulate() checks its faults against the tree', () => {
  it('refuses a fault whose path names no worker, naming the path and listing the workers', () => {
    const error = refusal([{ at: 10, path: 'dB', fault: 'crash', reason: 'error' }, { at: 20, path: 'nope/x', fault: 'hang' }]);
    expect(error.code).toBe('ERR_INVALID_SPEC');
    expect(error.issues).toEqual([
      { path: 'faults.0.path', message: `no worker at 'dB'; ${WORKERS}` },
      { path: 'faults.1.path', message: `no worker at 'nope/x'; ${WORKERS}` },
    ]);
    expect(error.message).toBe(
      `invalid simulate() input:\n  - faults.0.path: no worker at 'dB'; ${WORKERS}\n  - faults.1.path: no worker at 'nope/x'; ${WORKERS}`,
    );
  });

  it('refuses every kind of fault aimed at no worker, fail_starts and slow_stop included', () => {
    const error = refusal([
      { at: 0, path: 'jobs/db', fault: 'fail_starts', count: 2 },
      { at: 0, path: 'queue', fault: 'slow_start', ms: 10 },
      { at: 0, path: 'db/', fault: 'slow_stop', ms: 10 },
      { at: 5, path: 'jobs//queue', fault: 'exit_normal' },
    ]);
    expect(error.issues.map((i) => i.path)).toEqual(['faults.0.path', 'faults.1.path', 'faults.2.path', 'faults.3.path']);
  });

  it('refuses a fault aimed at a supervisor or at the root, since faults hit workers', () => {
    const error = refusal([{ at: 10, path: 'jobs', fault: 'crash', reason: 'error' }, { at: 10, path: '', fault: 'hang' }]);
    expect(error.issues).toEqual([
      { path: 'faults.0.path', message: `'jobs' is a supervisor; ${WORKERS}` },
      { path: 'faults.1.path', message: `'' is the root supervisor; ${WORKERS}` },
    ]);
  });

  it('says so when the tree has no workers at all', () => {
    const error = refusal([{ at: 1, path: 'a', fault: 'hang' }], {}, { children: [{ type: 'supervisor', id: 'empty', children: [] }] });
    expect(error.issues).toEqual([{ path: 'faults.0.path', message: "no worker at 'a'; this tree has no workers, so it takes no faults" }]);
  });

  it('refuses what a JavaScript caller can mistype: the fault, the reason, times, counts and durations', () => {
    const error = refusal([
      { at: 1, path: 'db', fault: 'crsh', reason: 'error' },
      { at: 2, path: 'db', fault: 'crash', reason: 'boom' },
      { at: -1, path: 'db', fault: 'hang' },
      { at: 3, path: 'db', fault: 'fail_starts', count: 1.5 },
      { at: 4, path: 'db', fault: 'slow_stop' },
      { at: 5, path: 7, fault: 'exit_normal' },
      null,
    ]);
    expect(error.issues).toEqual([
      { path: 'faults.0.fault', message: "expected one of 'crash', 'exit_normal', 'hang', 'fail_starts', 'slow_start', 'slow_stop', 'terminate_child'; given \"crsh\"" },
      { path: 'faults.1.reason', message: "expected one of 'error', 'exit', 'oom', 'killed', 'shutdown'; given \"boom\"" },
      { path: 'faults.2.at', message: 'expected a virtual time in ms >= 0; given -1' },
      { path: 'faults.3.count', message: 'expected a whole number >= 0; given 1.5' },
      { path: 'faults.4.ms', message: 'expected a number of virtual ms >= 0; given undefined' },
      { path: 'faults.5.path', message: "expected a worker's path (ids from the root down, joined by '/'); given 7" },
      { path: 'faults.6', message: 'expected a fault ({ at, path, fault, ... }); given null' },
    ]);
  });

  it('refuses a fault after untilMs, which would never fire, and accepts one exactly at it', () => {
    const error = refusal([{ at: 1500, path: 'db', fault: 'crash', reason: 'error' }], { untilMs: 1000 });
    expect(error.issues).toEqual([{ path: 'faults.0.at', message: 'the run stops the tree at untilMs 1000, so this fault would never fire; given 1500' }]);
    const atTheEnd = simulate(spec, [{ at: 1000, path: 'db', fault: 'crash', reason: 'error' }], { untilMs: 1000 });
    expect(lines(atTheEnd.trace)).toContain('1000 /: exited db error');
  });

  it('refuses options that are not numbers of ms', () => {
    const error = refusal([], { untilMs: Number.NaN, hangDetectMs: -5, seed: Infinity });
    expect(error.issues).toEqual([
      { path: 'options.untilMs', message: 'expected a number of virtual ms >= 0; given NaN' },
      { path: 'options.hangDetectMs', message: 'expected a number of virtual ms >= 0; given -5' },
      { path: 'options.seed', message: 'expected a finite number; given Infinity' },
    ]);
  });

  it('accepts faults at workers that are not running when they fire: a temporary child already gone, a nested one not started yet', () => {
    const faults: Fault[] = [
      { at: 0, path: 'jobs/queue', fault: 'slow_start', ms: 5 },
      { at: 10, path: 'jobs/once', fault: 'crash', reason: 'error' },
      { at: 20, path: 'jobs/once', fault: 'crash', reason: 'error' },
    ];
    const result = simulate(spec, faults, { untilMs: 100 });
    expect(lines(result.trace).filter((l) => l.includes('once'))).toEqual([
      '5 jobs: start once', '5 jobs: started once', '10 jobs: exited once error',
    ]);
    expect(result.exited).toBe('shutdown');
  });
});
