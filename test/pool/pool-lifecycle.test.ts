// Issue 10, items 1 and 6, over real threads: bad options refused before anything starts; a failed start
// leaves nothing behind; stop drains; threads grow under load and shrink when idle; thread deaths that no
// job explains count toward the pool's intensity and end it past that.
import { InvalidSpecError, PoolStoppedError, StartError, startPool } from '../../src/index.js';
import { deferred, expectBalanced, jobs, silent, threadsAlive, usePools } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const start = usePools();

describe('bad options, before anything starts', () => {
  it.each([
    [{ threads: 2, minThreads: 1 }, 'minThreads', /expected either threads \(a fixed count\) or minThreads\/maxThreads, not both/],
    [{ minThreads: 3, maxThreads: 2 }, 'maxThreads', /expected a number >= minThreads \(3\); given 2/],
    [{ threads: 0 }, 'threads', /expected a whole number >= 1; given 0/],
    [{ maxDeliveries: 0 }, 'maxDeliveries', /expected a whole number >= 1; given 0/],
    [{ deadLetters: 'log' }, 'deadLetters', /expected a function \(letter\) => void or a store \{ put\(letter\): Promise<void> \}; given "log"/],
    [{ thread: 2 }, '', /did you mean 'threads'\?/],
    [{ module: '/nowhere/x.jobs.mjs' }, 'module', /expected an existing worker module file/],
  ])('%p is refused with InvalidSpecError at %s', async (bad, path, message) => {
    const error = await startPool({ module: basic, logger: silent, ...(bad as object) } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    const issue = (error as InvalidSpecError).issues[0]!;
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(message);
    expect(await threadsAlive()).toBe(0);
  });

  it('an init that throws fails the start with StartError carrying its stack; no thread is left', async () => {
    const error = await startPool({ module: jobs('init-throws.jobs.mjs'), threads: 2, logger: silent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).error).toMatchObject({ message: 'cannot open the connection' });
    expect((error as StartError).error.stack).toMatch(/init-throws\.jobs\.mjs/);
    expect(await threadsAlive()).toBe(0);
  });

  it('a worker module (defineWorker) is refused with a StartError that says what a pool runs', async () => {
    const error = await startPool({ module: new URL('../fixtures/counter.mjs', import.meta.url), logger: silent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect((error as Error).message).toMatch(/defines a worker \(defineWorker\), not job handlers/);
    expect(await threadsAlive()).toBe(0);
  });
});

describe('stop drains', () => {
  it('running jobs finish, queued jobs reject with PoolStoppedError, later runs reject too; no thread is left', async () => {
    const pool = await start({ module: basic, threads: 1, concurrentJobsPerThread: 2 });
    const running = [pool.run('sleep', 100), pool.run('sleep', 120)];
    const queued = pool.run('echo', 'never');
    await new Promise((r) => setImmediate(r));
    const stopped = pool.stop();
    await expect(queued).rejects.toBeInstanceOf(PoolStoppedError);
    expect(await Promise.all(running)).toEqual([100, 120]);
    await stopped;
    const late = await pool.run('echo', 1).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(PoolStoppedError);
    expect((late as Error).message).toMatch(/submitted after the stop/);
    expect(await pool.exited).toEqual({ kind: 'shutdown' });
    expect(pool.stats()).toMatchObject({ resolved: 2, rejected: 2, running: 0, queued: 0, activeThreads: 0 });
    expectBalanced(pool.stats());
    expect(await threadsAlive()).toBe(0);
  });

  it('a job still running at shutdownMs is rejected with PoolStoppedError and its thread terminated', async () => {
    const pool = await start({ module: basic, threads: 1, shutdownMs: 50 });
    const stuck = pool.run('ignoreAbort').catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await pool.stop();
    const error = await stuck;
    expect(error).toBeInstanceOf(PoolStoppedError);
    expect((error as Error).message).toMatch(/still running when the pool's threads were terminated \(after 50 ms\)/);
    expectBalanced(pool.stats());
  });
});

describe('min and max threads', () => {
  it('grows under load up to maxThreads and shrinks idle threads down to minThreads after idleTimeoutMs', async () => {
    const pool = await start({ module: basic, minThreads: 1, maxThreads: 3, idleTimeoutMs: 100, spare: false, concurrentJobsPerThread: 1 });
    expect(pool.stats().activeThreads).toBe(1);
    const work = Array.from({ length: 6 }, () => pool.run('sleep', 150));
    while (pool.stats().activeThreads < 3) await new Promise((r) => pool.events.once('thread:started', r));
    expect(pool.stats().activeThreads).toBe(3);
    await Promise.all(work);
    // Idle threads beyond the minimum are retired, each with an event.
    while (pool.stats().activeThreads > 1) await new Promise((r) => pool.events.once('thread:retired', r));
    expect(pool.threads()).toHaveLength(1);
    expect(pool.stats().threadDeaths).toBe(0);
    expect(await pool.run('echo', 'min')).toBe('min');
  });
});

describe('deaths no job explains', () => {
  it('threads dying idle are replaced, and past maxRestarts in periodMs the pool exits max_intensity, rejecting what it held', async () => {
    const pool = await start({ module: jobs('dies-idle.jobs.mjs'), threads: 1, spare: false, args: { afterMs: 30 }, maxRestarts: 2, periodMs: 60_000 });
    const starts: number[] = [];
    pool.events.on('thread:started', (e) => void starts.push(e.threadId));
    const reason = await pool.exited;
    expect(reason).toMatchObject({ kind: 'max_intensity', supervisor: 'dies-idle.jobs.mjs', maxRestarts: 2, lastReason: { kind: 'exit', code: 5 } });
    expect(starts).toHaveLength(2);
    const late = await pool.run('echo', 1).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(PoolStoppedError);
    expect((late as PoolStoppedError).reason.kind).toBe('max_intensity');
    expect(pool.stats().threadDeaths).toBe(3);
  });

  it('threads crash-looping in init count toward intensity: the pool ends max_intensity with the start failure as the last reason', async () => {
    const starts = new SharedArrayBuffer(4);
    const pool = await start({ module: jobs('init-fails-later.jobs.mjs'), threads: 1, args: { starts }, maxRestarts: 2, periodMs: 60_000 });
    const failures: string[] = [];
    pool.events.on('thread:start_failed', (e) => void failures.push(e.error.message));
    // The first thread serves; the spare's start fails, and fails again, until the intensity runs out.
    const reason = await pool.exited;
    expect(reason).toMatchObject({ kind: 'max_intensity', maxRestarts: 2, lastReason: { kind: 'start_failed', error: { message: 'the database is gone' } } });
    expect(failures).toEqual(['the database is gone', 'the database is gone', 'the database is gone']);
    expect(new Int32Array(starts)[0]).toBe(4);
  });

  it('poison deaths do not count toward intensity: more poison deaths than maxRestarts leave the pool running', async () => {
    const pool = await start({ module: basic, threads: 1, maxRestarts: 0, maxDeliveries: 3 });
    const exited = deferred<unknown>();
    void pool.exited.then(exited.resolve);
    await expect(pool.run('exit', 1)).rejects.toMatchObject({ code: 'ERR_DEAD_LETTERED' });
    await expect(pool.run('exit', 1)).rejects.toMatchObject({ code: 'ERR_DEAD_LETTERED' });
    expect(await pool.run('echo', 'alive')).toBe('alive');
    expect(pool.stats().threadDeaths).toBe(6);
  });
});
