// Issue 8.11 on the simulated host: whatever a caller hands a tree (a path, an id, a method name, an
// exit reason, start options, a logger) is refused with a typed error or contained; nothing stalls.
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
