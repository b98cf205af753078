// Issue 10, items 2 and 5 (the per-job boundary and the run() rule), over real threads: a handler's throw
// fails its own job and the thread keeps serving; run options are told from arguments by the declared arity.
import { DataCloneError, InvalidSpecError, JobFailedError, UnknownMethodError } from '../../src/index.js';
import { expectBalanced, jobs, usePools } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const start = usePools();

describe('a pool runs jobs', () => {
  it('resolves each job with its handler result; ctx carries the job, the thread identity and init ran with args', async () => {
    const pool = await start({ module: basic, threads: 2, args: { region: 'eu' } });
    expect(await pool.run('echo', 42)).toBe(42);
    expect(await pool.run('add', 2, 3)).toBe(5);
    expect(await pool.run('asyncEcho', 'x')).toBe('x');
    const info = (await pool.run('info')) as { job: { id: number; delivery: number; handler: string }; self: { path: string }; initArgs: unknown };
    expect(info.job).toEqual({ id: 4, delivery: 1, handler: 'info' });
    expect(info.self.path).toBe('basic.jobs.mjs');
    expect(info.initArgs).toEqual({ region: 'eu' });
    const many = await Promise.all(Array.from({ length: 500 }, (_, i) => pool.run('echo', i)));
    expect(many).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(pool.stats()).toMatchObject({ submitted: 504, resolved: 504, queued: 0, running: 0, activeThreads: 2 });
  });

  it('a handler that throws rejects that job with JobFailedError (name, message, stack, job) and the same thread keeps serving', async () => {
    const pool = await start({ module: basic, threads: 1, spare: false });
    const before = await pool.run('threadId');
    const failures: unknown[] = [];
    pool.events.on('job:failed', (e) => failures.push(e));
    const error = await pool.run('throws', 'bad input').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError;
    expect(failed.code).toBe('ERR_JOB_FAILED');
    expect(failed.error).toMatchObject({ name: 'TypeError', message: 'bad input' });
    expect(failed.error.stack).toMatch(/basic\.jobs\.mjs/);
    expect(failed.job).toEqual({ id: 2, handler: 'throws', args: ['bad input'] });
    expect((failed.cause as Error).name).toBe('TypeError');
    const rejected = await pool.run('rejects', 'async bad').catch((e: unknown) => e);
    expect(rejected).toMatchObject({ code: 'ERR_JOB_FAILED', error: { name: 'RangeError', message: 'async bad' } });
    expect(await pool.run('threadId')).toBe(before);
    expect(failures).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ failed: 2, resolved: 2, threadDeaths: 0 });
  });

  it('a result that cannot be cloned fails its job only; arguments that cannot be cloned are refused with DataCloneError', async () => {
    const pool = await start({ module: basic, threads: 1 });
    const results = await Promise.allSettled([pool.run('echo', 1), pool.run('uncloneable'), pool.run('echo', 2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DataCloneError);
    const args = await Promise.allSettled([pool.run('echo', 3), pool.run('echo', () => 1), pool.run('echo', 4)]);
    expect(args.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((args[1] as PromiseRejectedResult).reason).toBeInstanceOf(DataCloneError);
    expect(pool.stats()).toMatchObject({ resolved: 4, failed: 1, rejected: 1 });
    expectBalanced(pool.stats());
  });

  it('an unknown handler is refused with UnknownMethodError listing the handlers; nothing is queued', async () => {
    const pool = await start({ module: basic, threads: 1 });
    const error = await (pool.run as (h: string) => Promise<unknown>)('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownMethodError);
    expect((error as Error).message).toMatch(/^unknown job handler 'nope'; the module defines: echo, count, add, /);
  });
});

describe('run options after variadic arguments', () => {
  it('a trailing object of only run-option keys beyond the declared arity is the options; anything else is an argument', async () => {
    const pool = await start({ module: basic, threads: 1 });
    // echo declares one argument: a second, option-shaped object is the options.
    expect(await pool.run('echo', { timeoutMs: 5 }, { timeoutMs: 1000 })).toEqual({ timeoutMs: 5 });
    // within the arity, an option-shaped object is the argument.
    expect(await pool.run('echo', { timeoutMs: 5 })).toEqual({ timeoutMs: 5 });
    // a key that is no run option makes it an argument (the handler ignores extra arguments).
    expect(await pool.run('echo', 7, { timeoutMs: 5, other: 1 } as never)).toBe(7);
  });

  it('bad run options reject with InvalidSpecError naming the field; the job never runs', async () => {
    const pool = await start({ module: basic, threads: 1 });
    const error = await pool.run('echo', 1, { timeoutMs: -1, signal: 'no' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues.map((i) => i.path)).toEqual(['timeoutMs', 'signal']);
    expect((error as Error).message).toMatch(/timeoutMs: expected a whole number of ms from 1 to 2147483647, or Infinity; given -1/);
    expect(pool.stats()).toMatchObject({ submitted: 1, rejected: 1, resolved: 0 });
  });

  it('transfer moves an ArrayBuffer to the thread instead of copying it', async () => {
    const pool = await start({ module: basic, threads: 1 });
    const buffer = new ArrayBuffer(1024);
    expect(await pool.run('bytes', buffer, { transfer: [buffer] })).toBe(1024);
    expect(buffer.byteLength).toBe(0);
  });
});
