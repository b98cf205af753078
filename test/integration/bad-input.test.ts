// Issue 8 over real threads: what a caller hands in (a timeout, a method name, an exit reason, a logger)
// is reported back as the caller gave it or refused with a typed error, and nothing stalls or leaks a thread.
import { jest } from '@jest/globals';
import { CallTimeoutError, ChildUnavailableError, InvalidSpecError, UnknownMethodError, startSupervisor, worker } from '../../src/index.js';
import { fixture, next, useTrees } from './supervisor-harness.js';
import { threadsAlive } from './worker-harness.js';

const counter = fixture('counter.mjs');
const start = useTrees();

describe('a supervised ref reports the timeout its caller set', () => {
  it('a call that times out reports the timeout set, not the time that was left', async () => {
    const sup = await start({ children: [worker({ id: 'a', module: counter, args: { start: 1 }, shutdown: 'brutal_kill' })] });
    const error = await sup.ref('a').withTimeout(500).call('forever').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 500, method: 'forever' });
    expect((error as Error).message).toBe("call 'forever' got no reply within 500 ms");
  });

  it('a call made while the child restarts still reports the timeout set, and its deadline counts the wait', async () => {
    const sup = await start({ backoff: { initialMs: 300, maxMs: 300 }, children: [worker({ id: 'a', module: counter, args: { start: 1 }, shutdown: 'brutal_kill' })] });
    const restarted = next(sup, 'child:restarted', (e) => e.id === 'a');
    sup.ref('a').cast('crash', 'boom');
    await next(sup, 'child:exited', (e) => e.id === 'a');
    const began = performance.now();
    const error = await sup.ref('a').withTimeout(1500).call('forever').catch((e: unknown) => e);
    const took = performance.now() - began;
    await restarted;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 1500 });
    expect((error as Error).message).toMatch(/within 1500 ms$/);
    // The wait for the new incarnation came out of the same 1500 ms, not on top of it.
    expect(took).toBeLessThan(1500 + 250);
  });

  it('a call that finds no incarnation within its timeout reports that timeout on ChildUnavailableError', async () => {
    const sup = await start({ backoff: { initialMs: 5000, maxMs: 5000 }, children: [worker({ id: 'a', module: counter, args: { start: 1 }, shutdown: 'brutal_kill' })] });
    sup.ref('a').cast('crash', 'boom');
    await next(sup, 'child:exited', (e) => e.id === 'a');
    const error = await sup.ref('a').withTimeout(200).call('get').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildUnavailableError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect((error as Error).message).toMatch(/within 200 ms/);
  });
});

describe('method names that are not strings, over a supervised ref', () => {
  it('a supervised ref refuses a Symbol with UnknownMethodError and the actor is untouched', async () => {
    const sup = await start({ children: [worker({ id: 'a', module: counter, args: { start: 5 } })] });
    const ref = sup.ref('a') as unknown as { call(m: unknown): Promise<unknown>; cast(m: unknown): void };
    const error = await ref.call(Symbol('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownMethodError);
    expect((error as Error).message).toMatch(/^unknown call 'Symbol\(x\)'; the worker defines: add, get/);
    expect(() => ref.cast(Symbol('x'))).toThrow(/^unknown cast 'Symbol\(x\)'/);
    expect(await sup.ref('a').call('get')).toBe(5);
  });
});

describe('a logger handed to startSupervisor, over real threads', () => {
  it('a logger without methods is refused before any thread starts (it used to leave the start pending forever)', async () => {
    const error = await startSupervisor({ children: [worker({ id: 'a', module: counter })] }, { logger: {} as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues).toEqual([{ path: 'options.logger', message: 'expected a pino-compatible logger with methods error, warn, info, debug; given an object without error, warn, info, debug' }]);
    expect(await threadsAlive()).toBe(0);
  });

  it('a logger whose methods throw is contained: the tree starts, restarts a crashed worker, and stops with no thread left', async () => {
    const broken = () => {
      throw new Error('broken logger');
    };
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((() => true) as never);
    try {
      const sup = await startSupervisor({ children: [worker({ id: 'a', module: counter, args: { start: 1 } })] }, { logger: { error: broken, warn: broken, info: broken, debug: broken } as never });
      const restarted = next(sup, 'child:restarted', (e) => e.id === 'a');
      sup.ref('a').cast('crash', 'boom');
      await restarted;
      expect(await sup.ref('a').call('get')).toBe(1);
      expect(await sup.stop()).toEqual({ kind: 'shutdown' });
    } finally {
      write.mockRestore();
    }
    expect(await threadsAlive()).toBe(0);
  });
});
