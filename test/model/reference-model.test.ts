// One hand-written scenario per rule of docs/semantics.md, each asserting the model's exact trace.
// Trace lines read `<t> <supervisor path> <event> <details>`, the root as `/` (see formatTraceEvent).
import { describe, expect, it } from '@jest/globals';
import { runModel, mulberry32 } from './reference-model.js';
import { rootStarts, rootStops, run, s, w } from './helpers.js';

describe('defaults and the run', () => {
  it('starts children in spec order at t=0 and stops them in reverse at last fault + 60000', () => {
    const r = run({ children: [w('a'), w('b')] }, [{ at: 100, path: 'a', fault: 'slow_stop', ms: 0 }]);
    expect(r.lines).toEqual([...rootStarts('a', 'b'), ...rootStops(60100, 'b', 'a')]);
    expect(r.exited).toBe('shutdown');
    expect(r.running).toEqual([]);
    expect(r.pendingTimers).toBe(0);
  });

  it('stops the root at untilMs when given', () => {
    expect(run({ children: [w('a')] }, [], { untilMs: 7 }).lines).toEqual([...rootStarts('a'), ...rootStops(7, 'a')]);
  });

  it('ignores crash faults aimed at a child that is not running', () => {
    const r = run({ children: [w('a', { restart: 'temporary' })] }, [
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
      { at: 20, path: 'a', fault: 'crash', reason: 'error' },
      { at: 30, path: 'a', fault: 'exit_normal' },
    ], { untilMs: 100 });
    expect(r.lines).toEqual([...rootStarts('a'), '10 / exited a error', '100 / supervisor_exited shutdown']);
  });

  it('applies faults at t=0 before the root starts', () => {
    const r = run({ children: [w('a')] }, [
      { at: 0, path: 'a', fault: 'crash', reason: 'error' },
      { at: 0, path: 'a', fault: 'slow_start', ms: 5 },
    ], { untilMs: 10 });
    expect(r.lines).toEqual(['0 / start a', '5 / started a', ...rootStops(10, 'a')]);
  });
});

describe('strategies', () => {
  const crashB = [{ at: 10, path: 'b', fault: 'crash', reason: 'error' } as const];

  it('one_for_one restarts the crashed child alone', () => {
    const r = run({ strategy: 'one_for_one', children: [w('a'), w('b'), w('c')] }, crashB, { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      '10 / exited b error',
      '10 / restart_scheduled [b] after 0',
      '10 / start b',
      '10 / started b',
      ...rootStops(50, 'c', 'b', 'a'),
    ]);
  });

  it('one_for_all stops the others in reverse start order, then restarts all in start order', () => {
    const r = run({ strategy: 'one_for_all', children: [w('a'), w('b'), w('c')] }, crashB, { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      '10 / exited b error',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop c',
      '10 / exited c shutdown',
      '10 / stop a',
      '10 / exited a shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start b',
      '10 / started b',
      '10 / start c',
      '10 / started c',
      ...rootStops(50, 'c', 'b', 'a'),
    ]);
  });

  it('one_for_all stops and removes temporary siblings and restarts a transient one left stopped', () => {
    const r = run(
      { strategy: 'one_for_all', children: [w('a', { restart: 'transient' }), w('t', { restart: 'temporary' }), w('c')] },
      [
        { at: 5, path: 'a', fault: 'exit_normal' },
        { at: 10, path: 'c', fault: 'crash', reason: 'oom' },
      ],
      { untilMs: 50 },
    );
    expect(r.lines).toEqual([
      ...rootStarts('a', 't', 'c'),
      '5 / exited a normal',
      '10 / exited c oom',
      '10 / restart_scheduled [a,c] after 0',
      '10 / stop t',
      '10 / exited t shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start c',
      '10 / started c',
      ...rootStops(50, 'c', 'a'),
    ]);
  });

  it('rest_for_one stops the later children in reverse and restarts from the crashed one, never touching earlier ones', () => {
    const r = run({ strategy: 'rest_for_one', children: [w('a'), w('b'), w('t', { restart: 'temporary' }), w('d')] }, crashB, {
      untilMs: 50,
    });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 't', 'd'),
      '10 / exited b error',
      '10 / restart_scheduled [b,d] after 0',
      '10 / stop d',
      '10 / exited d shutdown',
      '10 / stop t',
      '10 / exited t shutdown',
      '10 / start b',
      '10 / started b',
      '10 / start d',
      '10 / started d',
      ...rootStops(50, 'd', 'b', 'a'),
    ]);
  });
});

describe('restart types', () => {
  it('restarts a transient child only after an abnormal exit; shutdown and normal exits leave it stopped', () => {
    const r = run({ children: [w('x', { restart: 'transient' }), w('y', { restart: 'transient' })] }, [
      { at: 10, path: 'x', fault: 'crash', reason: 'exit' },
      { at: 20, path: 'x', fault: 'exit_normal' },
      { at: 30, path: 'y', fault: 'crash', reason: 'shutdown' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('x', 'y'),
      '10 / exited x exit',
      '10 / restart_scheduled [x] after 0',
      '10 / start x',
      '10 / started x',
      '20 / exited x normal',
      '30 / exited y shutdown',
      '50 / supervisor_exited shutdown',
    ]);
  });

  it('never restarts a temporary child and removes it, whatever the reason', () => {
    const r = run({ children: [w('t', { restart: 'temporary' }), w('p')] }, [{ at: 10, path: 't', fault: 'crash', reason: 'error' }], {
      untilMs: 50,
    });
    expect(r.lines).toEqual([...rootStarts('t', 'p'), '10 / exited t error', ...rootStops(50, 'p')]);
  });

  it('restarts a permanent child after a normal exit too', () => {
    const r = run({ children: [w('p')] }, [{ at: 10, path: 'p', fault: 'exit_normal' }], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('p'),
      '10 / exited p normal',
      '10 / restart_scheduled [p] after 0',
      '10 / start p',
      '10 / started p',
      ...rootStops(50, 'p'),
    ]);
  });
});

describe('restart intensity', () => {
  const crashesAt = (...ts: number[]) => ts.map((at) => ({ at, path: 'a', fault: 'crash', reason: 'error' }) as const);
  const restartLines = (t: number) => [`${t} / exited a error`, `${t} / restart_scheduled [a] after 0`, `${t} / start a`, `${t} / started a`];

  it('survives exactly maxRestarts restarts within periodMs', () => {
    const r = run({ maxRestarts: 2, periodMs: 1000, children: [w('a')] }, crashesAt(10, 20), { untilMs: 50 });
    expect(r.lines).toEqual([...rootStarts('a'), ...restartLines(10), ...restartLines(20), ...rootStops(50, 'a')]);
  });

  it('escalates on one more, stopping the remaining children in reverse order', () => {
    const r = run({ maxRestarts: 2, periodMs: 1000, children: [w('a'), w('b'), w('c')] }, crashesAt(10, 20, 30), { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      ...restartLines(10),
      ...restartLines(20),
      '30 / exited a error',
      '30 / intensity_exceeded',
      '30 / stop c',
      '30 / exited c shutdown',
      '30 / stop b',
      '30 / exited b shutdown',
      '30 / supervisor_exited max_intensity',
    ]);
    expect(r.exited).toBe('max_intensity');
  });

  it('still counts a restart exactly periodMs old, and forgets it 1 ms later', () => {
    const spec = { maxRestarts: 2, periodMs: 1000, children: [w('a')] };
    expect(run(spec, crashesAt(10, 20, 1010)).exited).toBe('max_intensity');
    expect(run(spec, crashesAt(10, 20, 1011)).exited).toBe('shutdown');
  });

  it('escalates at the first restart-worthy exit with maxRestarts 0, but not on a non-restart exit', () => {
    const r = run({ maxRestarts: 0, children: [w('t', { restart: 'transient' }), w('a')] }, [
      { at: 5, path: 't', fault: 'exit_normal' },
      { at: 10, path: 'a', fault: 'crash', reason: 'killed' },
    ]);
    expect(r.lines).toEqual([
      ...rootStarts('t', 'a'),
      '5 / exited t normal',
      '10 / exited a killed',
      '10 / intensity_exceeded',
      '10 / supervisor_exited max_intensity',
    ]);
  });

  it('counts a group restart once and does not count the siblings it stops', () => {
    const r = run({ strategy: 'one_for_all', maxRestarts: 1, children: [w('a'), w('b')] }, [{ at: 10, path: 'a', fault: 'crash', reason: 'error' }], {
      untilMs: 50,
    });
    expect(r.exited).toBe('shutdown');
  });
});

describe('backoff', () => {
  const backoff = { initialMs: 100, maxMs: 400, factor: 2, resetAfterMs: 1000 };
  const crash = (at: number) => ({ at, path: 'a', fault: 'crash', reason: 'error' }) as const;
  const cycle = (crashAt: number, delay: number) => [
    `${crashAt} / exited a error`,
    `${crashAt} / restart_scheduled [a] after ${delay}`,
    `${crashAt + delay} / start a`,
    `${crashAt + delay} / started a`,
  ];

  it('grows delays by factor up to maxMs, and starts over once the child ran resetAfterMs', () => {
    const r = run({ maxRestarts: 100, periodMs: 100_000, backoff, children: [w('a')] }, [crash(10), crash(120), crash(330), crash(740), crash(2140), crash(2250)], {
      untilMs: 5000,
    });
    expect(r.lines).toEqual([
      ...rootStarts('a'),
      ...cycle(10, 100),
      ...cycle(120, 200),
      ...cycle(330, 400),
      ...cycle(740, 400),
      // started at 1140, crashed at 2140: it ran exactly resetAfterMs, so the count starts over
      ...cycle(2140, 100),
      ...cycle(2250, 200),
      ...rootStops(5000, 'a'),
    ]);
  });

  it("uses a worker's own backoff over its supervisor's, and backoff: false restarts at once", () => {
    const r = run({ backoff, children: [w('own', { backoff: { initialMs: 7, maxMs: 7 } }), w('none', { backoff: false })] }, [
      { at: 10, path: 'own', fault: 'crash', reason: 'error' },
      { at: 10, path: 'none', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('own', 'none'),
      '10 / exited own error',
      '10 / restart_scheduled [own] after 7',
      '10 / exited none error',
      '10 / restart_scheduled [none] after 0',
      '10 / start none',
      '10 / started none',
      '17 / start own',
      '17 / started own',
      ...rootStops(50, 'none', 'own'),
    ]);
  });

  it('spreads a delay by jitter with one draw, capped at maxMs and rounded', () => {
    const delayWith = (r: number, b: { initialMs: number; maxMs: number; jitter: number }) => {
      let draws = 0;
      const random = () => {
        draws++;
        return r;
      };
      const result = runModel({ backoff: b, children: [w('a')] }, [crash(10)], { random, untilMs: 5000 });
      const scheduled = result.trace.find((e) => e.type === 'restart_scheduled');
      return { delay: scheduled?.type === 'restart_scheduled' ? scheduled.delayMs : -1, draws };
    };
    expect(delayWith(0.75, { initialMs: 1000, maxMs: 5000, jitter: 0.5 })).toEqual({ delay: 1250, draws: 1 });
    expect(delayWith(0, { initialMs: 1000, maxMs: 5000, jitter: 0.5 })).toEqual({ delay: 500, draws: 1 });
    expect(delayWith(0.99, { initialMs: 1000, maxMs: 1000, jitter: 0.5 })).toEqual({ delay: 1000, draws: 1 });
    expect(delayWith(0.3331, { initialMs: 100, maxMs: 1000, jitter: 0.1 })).toEqual({ delay: 97, draws: 1 });
    expect(delayWith(0.5, { initialMs: 100, maxMs: 1000, jitter: 0 })).toEqual({ delay: 100, draws: 0 });
  });

  it('seeds jitter from options.seed with mulberry32 by default', () => {
    const spec = { backoff: { initialMs: 1000, maxMs: 5000, jitter: 1 }, children: [w('a')] };
    const expected = Math.round(Math.min(5000, 1000 * (1 + 1 * (2 * mulberry32(42)() - 1))));
    const scheduled = runModel(spec, [crash(10)], { seed: 42 }).trace.find((e) => e.type === 'restart_scheduled');
    expect(scheduled).toEqual({ t: 10, sup: '', type: 'restart_scheduled', children: ['a'], delayMs: expected });
  });

  it('merges a new group with a waiting one it overlaps, due at the later time', () => {
    const r = run(
      { strategy: 'rest_for_one', backoff: { initialMs: 100, maxMs: 1000 }, children: [w('a'), w('b', { backoff: { initialMs: 500, maxMs: 500 } }), w('c')] },
      [
        { at: 10, path: 'b', fault: 'crash', reason: 'error' },
        { at: 20, path: 'a', fault: 'crash', reason: 'error' },
      ],
      { untilMs: 1000 },
    );
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      '10 / exited b error',
      '10 / restart_scheduled [b,c] after 500',
      '10 / stop c',
      '10 / exited c shutdown',
      '20 / exited a error',
      '20 / restart_scheduled [a,b,c] after 490',
      '510 / start a',
      '510 / started a',
      '510 / start b',
      '510 / started b',
      '510 / start c',
      '510 / started c',
      ...rootStops(1000, 'c', 'b', 'a'),
    ]);
  });

  it('cancels a pending restart at once when the supervisor stops', () => {
    const r = run({ backoff: { initialMs: 1000, maxMs: 1000 }, children: [w('a')] }, [crash(10)], { untilMs: 500 });
    expect(r.lines).toEqual([...rootStarts('a'), '10 / exited a error', '10 / restart_scheduled [a] after 1000', '500 / supervisor_exited shutdown']);
    expect(r.pendingTimers).toBe(0);
  });

  it('starts the group right after slow sibling stops when its timer fired meanwhile', () => {
    const r = run({ strategy: 'one_for_all', backoff: { initialMs: 50, maxMs: 50 }, children: [w('a'), w('b')] }, [
      { at: 1, path: 'b', fault: 'slow_stop', ms: 200 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
    ], { untilMs: 1000 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b'),
      '10 / exited a error',
      '10 / restart_scheduled [a,b] after 50',
      '10 / stop b',
      '210 / exited b shutdown',
      '210 / start a',
      '210 / started a',
      '210 / start b',
      '210 / started b',
      '1000 / stop b',
      '1200 / exited b shutdown',
      '1200 / stop a',
      '1200 / exited a shutdown',
      '1200 / supervisor_exited shutdown',
    ]);
  });
});

describe('start failures', () => {
  it('at init: stops the started children in reverse, never attempts later ones, exits start_failed', () => {
    const r = run({ children: [w('a'), w('b'), w('c'), w('d')] }, [{ at: 0, path: 'c', fault: 'fail_starts', count: 1 }]);
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b'),
      '0 / start c',
      '0 / start_failed c',
      '0 / stop b',
      '0 / exited b shutdown',
      '0 / stop a',
      '0 / exited a shutdown',
      '0 / supervisor_exited start_failed',
    ]);
    expect(r.exited).toBe('start_failed');
    expect(r.running).toEqual([]);
  });

  it('a failed start takes the start time too', () => {
    const r = run({ children: [w('a')] }, [
      { at: 0, path: 'a', fault: 'fail_starts', count: 1 },
      { at: 0, path: 'a', fault: 'slow_start', ms: 30 },
    ]);
    expect(r.lines).toEqual(['0 / start a', '30 / start_failed a', '30 / supervisor_exited start_failed']);
  });

  it('at restart (one_for_one): each failure counts, and each retry goes through a timer', () => {
    const faults = (count: number) => [
      { at: 5, path: 'a', fault: 'fail_starts', count } as const,
      { at: 10, path: 'a', fault: 'crash', reason: 'error' } as const,
    ];
    const ok = run({ maxRestarts: 3, children: [w('a'), w('b')] }, faults(2), { untilMs: 50 });
    expect(ok.lines).toEqual([
      ...rootStarts('a', 'b'),
      '10 / exited a error',
      '10 / restart_scheduled [a] after 0',
      '10 / start a',
      '10 / start_failed a',
      '10 / restart_scheduled [a] after 0',
      '10 / start a',
      '10 / start_failed a',
      '10 / restart_scheduled [a] after 0',
      '10 / start a',
      '10 / started a',
      ...rootStops(50, 'b', 'a'),
    ]);
    const never = run({ maxRestarts: 3, children: [w('a'), w('b')] }, faults(3), { untilMs: 50 });
    expect(never.lines.slice(-6)).toEqual([
      '10 / start a',
      '10 / start_failed a',
      '10 / intensity_exceeded',
      '10 / stop b',
      '10 / exited b shutdown',
      '10 / supervisor_exited max_intensity',
    ]);
  });

  it('serves the mailbox between a failed start and its retry', () => {
    const r = run({ maxRestarts: 5, children: [w('a'), w('b')] }, [
      { at: 5, path: 'a', fault: 'fail_starts', count: 1 },
      { at: 5, path: 'a', fault: 'slow_start', ms: 10 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
      { at: 15, path: 'b', fault: 'crash', reason: 'error' },
    ], { untilMs: 100 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b'),
      '10 / exited a error',
      '10 / restart_scheduled [a] after 0',
      '10 / start a',
      '20 / start_failed a',
      '20 / restart_scheduled [a] after 0',
      // b's exit waited during a's start; it is handled before the retry's timer
      '20 / exited b error',
      '20 / restart_scheduled [b] after 0',
      '20 / start b',
      '20 / started b',
      '20 / start a',
      '30 / started a',
      ...rootStops(100, 'b', 'a'),
    ]);
  });

  it('one_for_all retries the whole group after stopping the running members', () => {
    const r = run({ strategy: 'one_for_all', children: [w('a'), w('b'), w('c')] }, [
      { at: 5, path: 'b', fault: 'fail_starts', count: 1 },
      { at: 10, path: 'c', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      '10 / exited c error',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop b',
      '10 / exited b shutdown',
      '10 / stop a',
      '10 / exited a shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start b',
      '10 / start_failed b',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop a',
      '10 / exited a shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start b',
      '10 / started b',
      '10 / start c',
      '10 / started c',
      ...rootStops(50, 'c', 'b', 'a'),
    ]);
  });

  it('rest_for_one retries from the failed member on, leaving the earlier ones running', () => {
    const r = run({ strategy: 'rest_for_one', children: [w('a'), w('b'), w('c')] }, [
      { at: 5, path: 'b', fault: 'fail_starts', count: 1 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b', 'c'),
      '10 / exited a error',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop c',
      '10 / exited c shutdown',
      '10 / stop b',
      '10 / exited b shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start b',
      '10 / start_failed b',
      '10 / restart_scheduled [b,c] after 0',
      '10 / start b',
      '10 / started b',
      '10 / start c',
      '10 / started c',
      ...rootStops(50, 'c', 'b', 'a'),
    ]);
  });

  it('grows the failing member’s backoff on each failed retry', () => {
    const r = run({ maxRestarts: 10, backoff: { initialMs: 10, maxMs: 1000 }, children: [w('a')] }, [
      { at: 5, path: 'a', fault: 'fail_starts', count: 2 },
      { at: 100, path: 'a', fault: 'crash', reason: 'error' },
    ], { untilMs: 1000 });
    expect(r.lines.filter((l) => l.includes('restart_scheduled'))).toEqual([
      '100 / restart_scheduled [a] after 10',
      '110 / restart_scheduled [a] after 20',
      '130 / restart_scheduled [a] after 40',
    ]);
  });
});

describe('stopping a child: shutdown timeouts and hangs', () => {
  const stopAt500 = (shutdown: number | 'brutal_kill' | 'infinity', faults: Parameters<typeof run>[1]) =>
    run({ children: [w('a', { shutdown })] }, faults, { untilMs: 500 }).lines.slice(2);

  it('an orderly stop takes stopMs and exits shutdown; past the timeout it is killed', () => {
    expect(stopAt500(1000, [{ at: 1, path: 'a', fault: 'slow_stop', ms: 1000 }])).toEqual([
      '500 / stop a',
      '1500 / exited a shutdown',
      '1500 / supervisor_exited shutdown',
    ]);
    expect(stopAt500(1000, [{ at: 1, path: 'a', fault: 'slow_stop', ms: 1001 }])).toEqual([
      '500 / stop a',
      '1500 / exited a killed',
      '1500 / supervisor_exited shutdown',
    ]);
    expect(stopAt500('brutal_kill', [{ at: 1, path: 'a', fault: 'slow_stop', ms: 1001 }])).toEqual([
      '500 / stop a',
      '500 / exited a killed',
      '500 / supervisor_exited shutdown',
    ]);
    expect(stopAt500('infinity', [{ at: 1, path: 'a', fault: 'slow_stop', ms: 99_999 }])).toEqual([
      '500 / stop a',
      '100499 / exited a shutdown',
      '100499 / supervisor_exited shutdown',
    ]);
  });

  it('a hung worker exits hung when the heartbeat notices it, and is restarted', () => {
    const r = run({ children: [w('a')] }, [{ at: 10, path: 'a', fault: 'hang' }], { untilMs: 5000, hangDetectMs: 300 });
    expect(r.lines).toEqual([
      ...rootStarts('a'),
      '310 / exited a hung',
      '310 / restart_scheduled [a] after 0',
      '310 / start a',
      '310 / started a',
      ...rootStops(5000, 'a'),
    ]);
  });

  it('a hung worker ignores the stop request: killed at its timeout, or hung by the heartbeat with infinity', () => {
    const hang = [{ at: 10, path: 'a', fault: 'hang' } as const];
    expect(stopAt500(1000, hang)).toEqual(['500 / stop a', '1500 / exited a killed', '1500 / supervisor_exited shutdown']);
    // Asked to stop with a timeout, the thread is past the heartbeat's watch: the timeout decides.
    expect(stopAt500(3000, hang)).toEqual(['500 / stop a', '3500 / exited a killed', '3500 / supervisor_exited shutdown']);
    expect(stopAt500('infinity', hang)).toEqual(['500 / stop a', '2010 / exited a hung', '2010 / supervisor_exited shutdown']);
    expect(stopAt500('brutal_kill', hang)).toEqual(['500 / stop a', '500 / exited a killed', '500 / supervisor_exited shutdown']);
  });

  it('a hang aimed at a worker that is already stopping does nothing', () => {
    expect(
      stopAt500(5000, [
        { at: 1, path: 'a', fault: 'slow_stop', ms: 100 },
        { at: 550, path: 'a', fault: 'hang' },
        { at: 560, path: 'a', fault: 'hang' },
      ]),
    ).toEqual(['500 / stop a', '600 / exited a shutdown', '600 / supervisor_exited shutdown']);
  });

  it('a crash fault still ends a hung worker (it is running) and a stopping one (it has not exited)', () => {
    const r = run({ children: [w('a')] }, [
      { at: 10, path: 'a', fault: 'hang' },
      { at: 20, path: 'a', fault: 'crash', reason: 'oom' },
    ], { untilMs: 100 });
    expect(r.lines).toEqual([
      ...rootStarts('a'),
      '20 / exited a oom',
      '20 / restart_scheduled [a] after 0',
      '20 / start a',
      '20 / started a',
      ...rootStops(100, 'a'),
    ]);
    expect(
      stopAt500(5000, [
        { at: 1, path: 'a', fault: 'slow_stop', ms: 100 },
        { at: 550, path: 'a', fault: 'crash', reason: 'error' },
      ]),
    ).toEqual(['500 / stop a', '550 / exited a error', '550 / supervisor_exited shutdown']);
  });
});

describe('auto-shutdown', () => {
  it('any_significant: a significant child exiting normally shuts the supervisor down', () => {
    const r = run({ autoShutdown: 'any_significant', children: [w('a'), w('s', { restart: 'transient', significant: true }), w('c')] }, [
      { at: 10, path: 's', fault: 'exit_normal' },
    ]);
    expect(r.lines).toEqual([...rootStarts('a', 's', 'c'), '10 / exited s normal', ...rootStops(10, 'c', 'a')]);
    expect(r.exited).toBe('shutdown');
  });

  it('a significant transient child that crashes is restarted instead', () => {
    const r = run({ autoShutdown: 'any_significant', children: [w('s', { restart: 'transient', significant: true })] }, [
      { at: 10, path: 's', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('s'),
      '10 / exited s error',
      '10 / restart_scheduled [s] after 0',
      '10 / start s',
      '10 / started s',
      ...rootStops(50, 's'),
    ]);
  });

  it('all_significant: shuts down once no significant child runs', () => {
    const r = run(
      { autoShutdown: 'all_significant', children: [w('s1', { restart: 'transient', significant: true }), w('s2', { restart: 'temporary', significant: true }), w('p')] },
      [
        { at: 10, path: 's1', fault: 'exit_normal' },
        { at: 20, path: 's2', fault: 'crash', reason: 'error' },
      ],
    );
    expect(r.lines).toEqual([...rootStarts('s1', 's2', 'p'), '10 / exited s1 normal', '20 / exited s2 error', ...rootStops(20, 'p')]);
  });

  it('all_significant: a significant child waiting to restart still counts as running', () => {
    const r = run(
      {
        autoShutdown: 'all_significant',
        backoff: { initialMs: 100, maxMs: 100 },
        children: [w('s1', { restart: 'transient', significant: true }), w('s2', { restart: 'transient', significant: true })],
      },
      [
        { at: 10, path: 's1', fault: 'crash', reason: 'error' },
        { at: 20, path: 's2', fault: 'exit_normal' },
      ],
      { untilMs: 500 },
    );
    expect(r.lines).toEqual([
      ...rootStarts('s1', 's2'),
      '10 / exited s1 error',
      '10 / restart_scheduled [s1] after 100',
      '20 / exited s2 normal',
      '110 / start s1',
      '110 / started s1',
      ...rootStops(500, 's1'),
    ]);
  });

  it('a nested supervisor that shuts itself down is a normal exit to its parent', () => {
    const r = run(
      { children: [s('jobs', { restart: 'transient', autoShutdown: 'any_significant' }, [w('once', { restart: 'temporary', significant: true }), w('x')]), w('b')] },
      [{ at: 10, path: 'jobs/once', fault: 'exit_normal' }],
      { untilMs: 50 },
    );
    expect(r.lines).toEqual([
      '0 / start jobs',
      '0 /jobs start once',
      '0 /jobs started once',
      '0 /jobs start x',
      '0 /jobs started x',
      '0 / started jobs',
      '0 / start b',
      '0 / started b',
      '10 /jobs exited once normal',
      '10 /jobs stop x',
      '10 /jobs exited x shutdown',
      '10 /jobs supervisor_exited shutdown',
      '10 / exited jobs shutdown',
      ...rootStops(50, 'b'),
    ]);
  });
});

describe('nested supervisors and escalation', () => {
  const tree = (rootMax: number) => ({
    maxRestarts: rootMax,
    children: [s('m', { maxRestarts: 0 }, [s('i', { maxRestarts: 0 }, [w('w')])])],
  });
  const startTree = (t: number) => [
    `${t} / start m`,
    `${t} /m start i`,
    `${t} /m/i start w`,
    `${t} /m/i started w`,
    `${t} /m started i`,
    `${t} / started m`,
  ];
  const escalateInner = [
    '10 /m/i exited w error',
    '10 /m/i intensity_exceeded',
    '10 /m/i supervisor_exited max_intensity',
    '10 /m exited i max_intensity',
    '10 /m intensity_exceeded',
    '10 /m supervisor_exited max_intensity',
    '10 / exited m max_intensity',
  ];
  const crash = [{ at: 10, path: 'm/i/w', fault: 'crash', reason: 'error' } as const];

  it('escalates through three levels to the root, which exits max_intensity', () => {
    const r = run(tree(0), crash);
    expect(r.lines).toEqual([...startTree(0), ...escalateInner, '10 / intensity_exceeded', '10 / supervisor_exited max_intensity']);
    expect(r.exited).toBe('max_intensity');
    expect(r.running).toEqual([]);
  });

  it('stops at the first ancestor with budget left, which restarts the subtree', () => {
    const r = run(tree(1), crash, { untilMs: 50 });
    expect(r.lines).toEqual([
      ...startTree(0),
      ...escalateInner,
      '10 / restart_scheduled [m] after 0',
      ...startTree(10),
      '50 / stop m',
      '50 /m stop i',
      '50 /m/i stop w',
      '50 /m/i exited w shutdown',
      '50 /m/i supervisor_exited shutdown',
      '50 /m exited i shutdown',
      '50 /m supervisor_exited shutdown',
      '50 / exited m shutdown',
      '50 / supervisor_exited shutdown',
    ]);
  });

  it('treats a transient child supervisor that gives up as an abnormal exit (restarted, unlike OTP)', () => {
    const r = run({ children: [s('m', { restart: 'transient', maxRestarts: 0 }, [w('w')])] }, [{ at: 10, path: 'm/w', fault: 'crash', reason: 'error' }], {
      untilMs: 50,
    });
    expect(r.lines.slice(4, 9)).toEqual([
      '10 /m exited w error',
      '10 /m intensity_exceeded',
      '10 /m supervisor_exited max_intensity',
      '10 / exited m max_intensity',
      '10 / restart_scheduled [m] after 0',
    ]);
  });

  it('a nested supervisor that fails to start is a failed start to its parent', () => {
    const r = run({ children: [w('a'), s('m', {}, [w('x'), w('y')])] }, [{ at: 0, path: 'm/y', fault: 'fail_starts', count: 1 }]);
    expect(r.lines).toEqual([
      ...rootStarts('a'),
      '0 / start m',
      '0 /m start x',
      '0 /m started x',
      '0 /m start y',
      '0 /m start_failed y',
      '0 /m stop x',
      '0 /m exited x shutdown',
      '0 /m supervisor_exited start_failed',
      '0 / start_failed m',
      '0 / stop a',
      '0 / exited a shutdown',
      '0 / supervisor_exited start_failed',
    ]);
  });

  it('a nested supervisor restarts with its parent’s backoff, not its own', () => {
    const r = run(
      { backoff: { initialMs: 30, maxMs: 30 }, children: [s('m', { maxRestarts: 0, backoff: { initialMs: 999, maxMs: 999 } }, [w('w')])] },
      [{ at: 10, path: 'm/w', fault: 'crash', reason: 'error' }],
      { untilMs: 100 },
    );
    expect(r.lines).toContain('10 / restart_scheduled [m] after 30');
  });
});

describe('one thing at a time', () => {
  it('defers another child’s exit during a start and handles it afterwards', () => {
    const r = run({ children: [w('a'), w('b')] }, [
      { at: 5, path: 'a', fault: 'slow_start', ms: 100 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
      { at: 20, path: 'b', fault: 'crash', reason: 'error' },
    ], { untilMs: 500 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b'),
      '10 / exited a error',
      '10 / restart_scheduled [a] after 0',
      '10 / start a',
      '110 / started a',
      '110 / exited b error',
      '110 / restart_scheduled [b] after 0',
      '110 / start b',
      '110 / started b',
      ...rootStops(500, 'b', 'a'),
    ]);
  });

  it('counts the exit of a child it is about to stop as that stop, and does not ask it', () => {
    const r = run({ strategy: 'one_for_all', children: [w('a'), w('b'), w('c')] }, [
      { at: 1, path: 'c', fault: 'slow_stop', ms: 100 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
      { at: 50, path: 'b', fault: 'crash', reason: 'oom' },
    ], { untilMs: 500 });
    expect(r.lines.slice(6, 16)).toEqual([
      '10 / exited a error',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop c',
      '50 / exited b oom',
      '110 / exited c shutdown',
      '110 / start a',
      '110 / started a',
      '110 / start b',
      '110 / started b',
      '110 / start c',
    ]);
  });

  it('takes a waiting exit as the stop when the stop sequence reaches that child', () => {
    const r = run({ strategy: 'one_for_all', maxRestarts: 5, children: [w('a'), w('b'), w('c')] }, [
      { at: 1, path: 'c', fault: 'slow_start', ms: 100 },
      { at: 10, path: 'a', fault: 'crash', reason: 'error' },
      { at: 50, path: 'a', fault: 'crash', reason: 'error' },
      { at: 60, path: 'b', fault: 'crash', reason: 'exit' },
    ], { untilMs: 500 });
    expect(r.lines.filter((l) => !l.startsWith('0 ') && !l.startsWith('100 '))).toEqual([
      '10 / exited a error',
      '10 / restart_scheduled [a,b,c] after 0',
      '10 / stop c',
      '10 / exited c shutdown',
      '10 / stop b',
      '10 / exited b shutdown',
      '10 / start a',
      '10 / started a',
      '10 / start b',
      '10 / started b',
      '10 / start c',
      '110 / started c',
      '110 / exited a error',
      '110 / restart_scheduled [a,b,c] after 0',
      '110 / stop c',
      '110 / exited c shutdown',
      '110 / exited b exit',
      '110 / start a',
      '110 / started a',
      '110 / start b',
      '110 / started b',
      '110 / start c',
      '210 / started c',
      ...rootStops(500, 'c', 'b', 'a'),
    ]);
  });

  it('defers a stop request until the running operation ends', () => {
    const r = run({ children: [w('a'), w('b')] }, [
      { at: 5, path: 'b', fault: 'slow_start', ms: 100 },
      { at: 10, path: 'b', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines).toEqual([
      ...rootStarts('a', 'b'),
      '10 / exited b error',
      '10 / restart_scheduled [b] after 0',
      '10 / start b',
      '110 / started b',
      ...rootStops(110, 'b', 'a'),
    ]);
  });

  it('lets a nested supervisor finish its operation before it handles its parent’s stop request', () => {
    const r = run({ children: [s('m', {}, [w('x')])] }, [
      { at: 5, path: 'm/x', fault: 'slow_start', ms: 100 },
      { at: 10, path: 'm/x', fault: 'crash', reason: 'error' },
    ], { untilMs: 50 });
    expect(r.lines.slice(4)).toEqual([
      '10 /m exited x error',
      '10 /m restart_scheduled [x] after 0',
      '10 /m start x',
      '50 / stop m',
      '110 /m started x',
      '110 /m stop x',
      '110 /m exited x shutdown',
      '110 /m supervisor_exited shutdown',
      '110 / exited m shutdown',
      '110 / supervisor_exited shutdown',
    ]);
  });
});

describe('management requests: terminateChild', () => {
  const brutal = { shutdown: 'brutal_kill' } as const;
  const backoff = { initialMs: 1000, maxMs: 1000 };
  const terminate = (at: number, path: string) => ({ at, path, fault: 'terminate_child' }) as const;
  const crash = (at: number, path: string) => ({ at, path, fault: 'crash', reason: 'error' }) as const;

  it('stops a running child and keeps it stopped; a temporary one is removed', () => {
    const r = run({ children: [w('a'), w('t', { restart: 'temporary' })] }, [terminate(10, 'a'), terminate(20, 't'), crash(30, 'a')], { untilMs: 100 });
    expect(r.lines).toEqual([...rootStarts('a', 't'), '10 / stop a', '10 / exited a shutdown', '20 / stop t', '20 / exited t shutdown', '100 / supervisor_exited shutdown']);
  });

  it.each([
    ['rest_for_one', '[b,c]', ['3000 / stop a', '3000 / exited a killed']],
    ['one_for_all', '[a,b,c]', ['100 / stop a', '100 / exited a killed']],
  ] as const)('%s: cancelling the crashed child cancels the restart of its whole group', (strategy, group, rest) => {
    const r = run({ strategy, backoff, children: [w('a', brutal), w('b', brutal), w('c', brutal)] }, [crash(100, 'b'), terminate(300, 'b')], { untilMs: 3000 });
    // Nothing starts at 1100, when the group was due: a is stopped at the end (rest_for_one) or already was.
    expect(r.lines.slice(6)).toEqual([
      '100 / exited b error', `100 / restart_scheduled ${group} after 1000`, '100 / stop c', '100 / exited c killed',
      ...rest, '3000 / supervisor_exited shutdown',
    ]);
    expect(r.pendingTimers).toBe(0);
  });

  it('cancels a group waiting to retry a failed start, through any of its members', () => {
    const r = run({ strategy: 'rest_for_one', backoff, children: [w('a', brutal), w('b', brutal), w('c', brutal)] }, [
      { at: 50, path: 'b', fault: 'fail_starts', count: 1 },
      crash(100, 'b'),
      terminate(1200, 'c'),
    ], { untilMs: 5000 });
    expect(r.lines.slice(6)).toEqual([
      '100 / exited b error', '100 / restart_scheduled [b,c] after 1000', '100 / stop c', '100 / exited c killed',
      '1100 / start b', '1100 / start_failed b', '1100 / restart_scheduled [b,c] after 1000',
      '5000 / stop a', '5000 / exited a killed', '5000 / supervisor_exited shutdown',
    ]);
  });

  it('one_for_one: cancels only the child asked for', () => {
    const r = run({ backoff, children: [w('a'), w('b')] }, [crash(100, 'a'), crash(100, 'b'), terminate(300, 'b')], { untilMs: 3000 });
    expect(r.lines.slice(4)).toEqual([
      '100 / exited a error', '100 / restart_scheduled [a] after 1000', '100 / exited b error', '100 / restart_scheduled [b] after 1000',
      '1100 / start a', '1100 / started a', ...rootStops(3000, 'a'),
    ]);
  });

  it('reaches the current incarnation of a nested supervisor, and waits behind an operation in progress', () => {
    const r = run({ children: [s('m', {}, [w('x', { shutdown: 500 }), w('y')])] }, [
      { at: 5, path: 'm/y', fault: 'slow_stop', ms: 100 },
      terminate(10, 'm/y'),
      terminate(20, 'm/x'),
    ], { untilMs: 1000 });
    expect(r.lines.slice(6)).toEqual(['10 /m stop y', '110 /m exited y shutdown', '110 /m stop x', '110 /m exited x shutdown', '1000 / stop m', '1000 /m supervisor_exited shutdown', '1000 / exited m shutdown', '1000 / supervisor_exited shutdown']);
  });
});
