// Issue 8.11 on the simulated host: whatever a caller hands a tree (a path, an id, a method name, an
// exit reason, start options, a logger) is refused with a typed error or contained; nothing stalls.
import { jest } from '@jest/globals';
import { setup, started, stopAll, w } from './harness.js';
import { SimulatedHost } from '../../src/testing/simulated-host.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { ChildUnavailableError, InvalidSpecError, UnknownMethodError } from '../../src/errors.js';
import type { ExitReason } from '../../src/protocol/exit-reason.js';

const BAD_PATHS: unknown[] = [null, undefined, '', 42, Symbol('x'), {}, 'a//b', '/a', 'a/'];

describe('bad paths and ids handed to a supervisor handle', () => {
  it.each(BAD_PATHS.map((p) => [p]))('ref(%p), supervisor(...) and dynamicSupervisor(...) throw InvalidSpecError at once', async (path) => {
    const env = setup();
    const sup = await started({ children: [w('a'), { type: 'supervisor', id: 'jobs', children: [w('b')] }] }, env);
    for (const make of [() => sup.ref(path as string), () => sup.supervisor(path as string), () => sup.dynamicSupervisor(path as string), () => sup.supervisor('jobs').ref(path as string)]) {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_SPEC', issues: [{ path: 'path' }] });
      expect((error as Error).message).toMatch(/expected a child id, or child ids joined by '\/' such as 'jobs\/w1'; given /);
    }
    await stopAll(sup, env);
  });

  it.each([[null], [undefined], [''], [7], ['a/b']])('terminateChild, restartChild and deleteChild reject %p with InvalidSpecError at path id', async (id) => {
    const env = setup();
    const sup = await started({ children: [w('a'), { type: 'supervisor', id: 'jobs', children: [w('b')] }] }, env);
    const jobs = sup.supervisor('jobs');
    const calls = [sup.terminateChild, sup.restartChild, sup.deleteChild].map((f) => f.call(sup, id as string));
    calls.push(...[jobs.terminateChild, jobs.restartChild, jobs.deleteChild].map((f) => f.call(jobs, id as string)));
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect(error).toMatchObject({ issues: [{ path: 'id' }] });
      expect((error as Error).message).toMatch(/expected a child id \(a non-empty string without '\/'\); given /);
    }
    expect(sup.whichChildren().map((c) => c.status)).toEqual(['running', 'running']);
    await stopAll(sup, env);
  });
});

describe('method names that are not strings', () => {
  it('a supervised ref and the simulated host refuse a Symbol or a prototype name with UnknownMethodError', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const ref = sup.ref('a') as unknown as { call(m: unknown): Promise<unknown>; cast(m: unknown): void };
    for (const method of [Symbol('x'), 'constructor', 'toString', 42]) {
      const error = await ref.call(method).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownMethodError);
      expect((error as UnknownMethodError).method).toBe(String(method));
      expect(() => ref.cast(method)).toThrow(UnknownMethodError);
    }
    expect(sup.whichChildren()[0]).toMatchObject({ status: 'running' });
    await stopAll(sup, env);
  });

  it('a cast with a Symbol to a child that is restarting gets ChildUnavailableError, not a TypeError', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 1000, maxMs: 1000 }, children: [w('a')] }, env);
    env.host.current('sim:a')!.crash();
    await env.clock.advance(0);
    expect(() => (sup.ref('a') as unknown as { cast(m: unknown): void }).cast(Symbol('x'))).toThrow(ChildUnavailableError);
    await stopAll(sup, env);
  });
});

describe('exit reasons handed to stop()', () => {
  const bad: [unknown, string, RegExp][] = [
    [null, 'reason', /expected an exit reason such as \{ kind: 'shutdown' \}.*; given null$/],
    ['shutdown', 'reason', /; given "shutdown"$/],
    [{ kind: 'bogus' }, 'reason.kind', /expected one of 'normal', 'shutdown', .*; given "bogus"$/],
    [{ kind: 'exit' }, 'reason.code', /expected an integer exit code; given undefined$/],
    [{ kind: 'shutdown', detial: 1 }, 'reason.detial', /expected only the fields kind, detail in a 'shutdown' reason; given 1$/],
    [{ kind: 'normal', constructor: 1 }, 'reason.constructor', /expected no field but kind in a 'normal' reason/],
    [{ kind: 'max_intensity', supervisor: 'r', maxRestarts: 1, periodMs: 5, lastReason: { kind: 'nope' } }, 'reason.lastReason.kind', /given "nope"$/],
  ];

  it.each(bad)('the simulated host refuses %p with InvalidSpecError at %s and the actor keeps running', async (reason, path, message) => {
    const clock = new VirtualClock();
    const host = new SimulatedHost(clock).define('sim:a', { calls: { get: () => 1 } });
    const starting = host.start({ module: 'sim:a' });
    await clock.runAll();
    const outcome = await starting;
    if (outcome.status !== 'started') throw new Error('not started');
    const error = await outcome.actor.stop(reason as ExitReason).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect(error).toMatchObject({ issues: [{ path }] });
    expect((error as InvalidSpecError).issues[0]!.message).toMatch(message);
    expect(outcome.actor.alive).toBe(true);
    const stopped = outcome.actor.stop({ kind: 'shutdown', detail: 'done' });
    await clock.runAll();
    expect(await stopped).toEqual({ kind: 'shutdown', detail: 'done' });
  });
});

describe('start options', () => {
  const spec = { children: [w('a')] };
  const cases: [string, unknown, string, RegExp][] = [
    ['null', null, 'options', /expected undefined or an object of start options .*; given null/],
    ['a string', 'fast', 'options', /given "fast"/],
    ['a misspelt key', { loger: {} }, 'options', /given unknown key 'loger' \(did you mean 'logger'\?\)/],
    ['a logger without methods', { logger: {} }, 'options.logger', /^expected a pino-compatible logger with methods error, warn, info, debug; given an object without error, warn, info, debug$/],
    ['a logger without error', { logger: { warn() {}, info() {}, debug() {} } }, 'options.logger', /; given an object without error$/],
    ['a logger that is null', { logger: null }, 'options.logger', /; given null$/],
    ['a host without start', { host: {} }, 'options.host', /^expected a child host with method start; given \{\}$/],
    ['a clock without timers', { clock: { now: () => 0 } }, 'options.clock', /^expected a clock with methods now, setTimer, clearTimer; given/],
    ['a random number', { random: 0.5 }, 'options.random', /^expected a function returning a number in \[0, 1\); given 0.5$/],
    ['a tap that is not a function', { tap: 'log' }, 'options.tap', /^expected a function .*; given "log"$/],
    ['reporters that are not functions', { reporters: [() => {}, 1] }, 'options.reporters', /^expected an array of report consumer functions; given/],
    ['an observeCall that is not a function', { observeCall: 42 }, 'options.observeCall', /^expected a function \(call\) => void; given 42$/],
  ];

  it.each(cases)('startSupervisor and startDynamicSupervisor refuse %s with InvalidSpecError before anything starts', async (_name, options, path, message) => {
    const env = setup();
    const { startSupervisor } = await import('../../src/supervisor/start-supervisor.js');
    const { startDynamicSupervisor } = await import('../../src/supervisor/dynamic-supervisor.js');
    // Start options of their own (no virtual host), so the real defaults would run threads if they started.
    for (const start of [() => startSupervisor(spec, options as never), () => startDynamicSupervisor({ template: { module: 'sim:a' } }, options as never)]) {
      const error = await start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect((error as InvalidSpecError).issues).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
    expect(env.host.incarnations('sim:a')).toHaveLength(0);
  });
});

describe('user code that breaks: a logger, listeners, tap, reporters', () => {
  function throwingLogger(calls: string[]) {
    const boom = (level: string) => () => {
      calls.push(level);
      throw new Error(`logger ${level} is broken`);
    };
    return { error: boom('error'), warn: boom('warn'), info: boom('info'), debug: boom('debug') };
  }

  it('a logger whose every method throws is contained: the tree starts, restarts a crashed child, stops, and each record goes to stderr as one line', async () => {
    const env = setup();
    const calls: string[] = [];
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => (lines.push(String(chunk)), true)) as never);
    try {
      const sup = await started({ backoff: false, children: [w('a', { args: { start: 3 } })] }, env, { logger: throwingLogger(calls) as never });
      env.host.current('sim:a')!.crash();
      await env.clock.advance(0);
      expect(await env.drive(sup.ref('a').call('get'))).toBe(3);
      expect(sup.tree().children[0]).toMatchObject({ status: 'running', restartCount: 1 });
      await stopAll(sup, env);
    } finally {
      write.mockRestore();
    }
    expect(calls).toEqual(expect.arrayContaining(['info', 'error']));
    // One fallback line per failed log call (other writes to stderr, if any, are not ours).
    const ours = lines.filter((l) => l.startsWith('threadvisor: '));
    expect(ours).toHaveLength(calls.length);
    for (const line of ours) expect(line).toMatch(/^threadvisor: the logger's \w+\(\) threw \(Error: logger \w+ is broken\); the record was: [^\n]*\n$/);
    expect(ours.some((l) => /child a crashed/.test(l))).toBe(true);
  });

  it('throwing listeners, tap and reporters with a throwing logger never break or stall the tree', async () => {
    const env = setup();
    const calls: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((() => true) as never);
    try {
      const bad = () => {
        throw new Error('user code');
      };
      const sup = await started({ backoff: false, children: [w('a')] }, env, { logger: throwingLogger(calls) as never, tap: bad, reporters: [bad] });
      sup.on('child:exited', bad).on('child:restarted', bad).on('supervisor:stopped', bad);
      env.host.current('sim:a')!.crash();
      await env.clock.advance(0);
      expect(sup.tree().children[0]).toMatchObject({ status: 'running', restartCount: 1 });
      await stopAll(sup, env);
      expect(await sup.exited).toEqual({ kind: 'shutdown' });
    } finally {
      write.mockRestore();
    }
    expect(calls.length).toBeGreaterThan(0);
  });
});
