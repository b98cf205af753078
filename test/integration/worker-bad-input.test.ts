// Issue 8.11 for standalone workers over real threads: a method name that is not a string and an exit
// reason that is not one are refused with typed errors; the actor is untouched and no thread outlives a test.
import { InvalidSpecError, UnknownMethodError, type ExitReason } from '../../src/index.js';
import { jest } from '@jest/globals';
import { deferred, fixture, threadsAlive, useWorkers } from './worker-harness.js';

const counter = fixture('counter.mjs');
const startOne = useWorkers();

describe('method names that are not strings, over real threads', () => {
  it('a standalone ref refuses a Symbol with UnknownMethodError and the actor is untouched', async () => {
    const one = await startOne({ module: counter, args: { start: 4 } });
    for (const ref of [one] as unknown as { call(m: unknown): Promise<unknown>; cast(m: unknown): void }[]) {
      const error = await ref.call(Symbol('x')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownMethodError);
      expect((error as Error).message).toMatch(/^unknown call 'Symbol\(x\)'; the worker defines: add, get/);
      expect(() => ref.cast(Symbol('x'))).toThrow(/^unknown cast 'Symbol\(x\)'/);
    }
    expect(await one.call('get')).toBe(4);
  });

  it('a Symbol call to a standalone actor that has stopped gets ActorStoppedError, not a TypeError', async () => {
    const one = await startOne({ module: counter });
    await one.stop();
    const error = await (one as unknown as { call(m: unknown): Promise<unknown> }).call(Symbol('x')).catch((e: unknown) => e);
    // Made after the stop, the call is refused at the caller and never sent (ActorStoppedError's `delivered`).
    expect(error).toMatchObject({ code: 'ERR_ACTOR_STOPPED', delivered: false });
    expect((error as Error).message).toBe("call 'Symbol(x)' was not delivered: the actor has stopped, reason: shutdown");
  });
});

describe('exit reasons handed to stop(), over real threads', () => {
  it.each([[null], ['shutdown'], [{ kind: 'bogus' }], [{ kind: 'exit', code: 1.5 }], [42]])('WorkerRef.stop(%p) rejects with InvalidSpecError and the actor keeps running', async (reason) => {
    const one = await startOne({ module: counter, args: { start: 2 } });
    const error = await one.stop(reason as ExitReason).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues[0]!.path).toMatch(/^reason/);
    expect((error as Error).message).toMatch(/expected .*; given /);
    expect(one.alive).toBe(true);
    expect(await one.call('get')).toBe(2);
    // A valid stop afterwards still works and hands back the reason it was given.
    expect(await one.stop({ kind: 'shutdown', detail: 'bye' })).toEqual({ kind: 'shutdown', detail: 'bye' });
  });

  it("stop(null)'s message names what is accepted and what was given", async () => {
    const one = await startOne({ module: counter });
    const error = (await one.stop(null as unknown as ExitReason).catch((e: unknown) => e)) as InvalidSpecError;
    expect(error.issues).toEqual([{ path: 'reason', message: expect.stringMatching(/^expected an exit reason such as \{ kind: 'shutdown' \}.*; given null$/) }]);
  });
});

describe('a logger handed to startWorker or ThreadHost, over real threads', () => {
  it('startWorker refuses a logger without error() with InvalidSpecError at logger, and no thread is spawned', async () => {
    const { startWorker } = await import('../../src/index.js');
    const error = await startWorker({ module: counter, logger: { warn() {}, info() {}, debug() {} } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues).toEqual([{ path: 'logger', message: 'expected a pino-compatible logger with methods error, warn, info, debug; given an object without error' }]);
    expect(await threadsAlive()).toBe(0);
  });

  it('new ThreadHost refuses null, an unknown key and a logger without methods', async () => {
    const { ThreadHost } = await import('../../src/index.js');
    for (const [options, path] of [[null, 'options'], [{ loger: {} }, 'options'], [{ logger: {} }, 'options.logger']] as const) {
      let error: unknown;
      try {
        new ThreadHost(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect((error as InvalidSpecError).issues[0]!.path).toBe(path);
    }
  });

  it('a logger whose warn() throws does not break the host: a late reply is dropped with one stderr line and the actor keeps answering', async () => {
    const warned = deferred<void>();
    const throwing = {
      error() {},
      info() {},
      debug() {},
      warn() {
        warned.resolve();
        throw new Error('warn is broken');
      },
    };
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => (lines.push(String(chunk)), true)) as never);
    try {
      const one = await startOne({ module: counter, args: { start: 1 }, logger: throwing as never });
      await expect(one.withTimeout(20).call('slowAdd', 1, 200)).rejects.toMatchObject({ code: 'ERR_CALL_TIMEOUT' });
      await warned.promise;
      expect(await one.call('get')).toBe(2);
    } finally {
      write.mockRestore();
    }
    expect(lines.filter((l) => l.startsWith("threadvisor: the logger's warn() threw (Error: warn is broken)"))).toHaveLength(1);
  });
});
