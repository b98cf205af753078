// Issue 10, item 5, over real threads: a bounded queue refuses at once; an abort or a timeout removes a
// queued job at once, reaches a running handler through ctx.signal, and a handler that ignores it past
// abortGraceMs has its thread terminated and replaced; such a job is never redelivered.
import { JobAbortedError, JobTimeoutError, QueueFullError } from '../../src/index.js';
import { deferred, expectBalanced, jobs, usePools } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const start = usePools();

describe('backpressure', () => {
  it('a job past maxQueue is refused at once with QueueFullError; the queued ones still run', async () => {
    const pool = await start({ module: basic, threads: 1, maxQueue: 2, spare: false });
    // Three jobs in one tick: none has left the queue yet, so the third finds it full.
    const results = await Promise.allSettled([pool.run('echo', 1), pool.run('echo', 2), pool.run('echo', 3)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).constructor.name))).toEqual([1, 2, 'QueueFullError']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_QUEUE_FULL', maxQueue: 2 });
    expect(pool.stats()).toMatchObject({ submitted: 3, resolved: 2, rejected: 1 });
    expect(QueueFullError.code).toBe('ERR_QUEUE_FULL');
  });
});

describe('aborts', () => {
  it('an already aborted signal rejects at once with JobAbortedError carrying the reason', async () => {
    const pool = await start({ module: basic, threads: 1 });
    const controller = new AbortController();
    controller.abort(new Error('changed my mind'));
    const error = await pool.run('echo', 1, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobAbortedError);
    expect((error as Error).cause).toBe(controller.signal.reason);
    expect(pool.stats()).toMatchObject({ submitted: 1, aborted: 1, queued: 0 });
  });

  it('aborting a queued job removes it at once: its handler never runs', async () => {
    const pool = await start({ module: basic, threads: 1, concurrentJobsPerThread: 1, spare: false });
    const first = new AbortController();
    const busy = pool.run('waitAbort', { signal: first.signal });
    const second = new AbortController();
    const queued = pool.run('count', { signal: second.signal });
    await new Promise((r) => setImmediate(r));
    expect(pool.stats()).toMatchObject({ queued: 1, running: 1 });
    second.abort();
    await expect(queued).rejects.toBeInstanceOf(JobAbortedError);
    expect(pool.stats()).toMatchObject({ queued: 0, aborted: 1 });
    first.abort();
    await expect(busy).rejects.toBeInstanceOf(JobAbortedError);
    // The thread's first `count` is this one: the aborted job never reached it.
    expect(await pool.run('count')).toBe(1);
    expectBalanced(pool.stats());
  });

  it("aborting a running job aborts its ctx.signal; the handler's answer settles nothing twice", async () => {
    const pool = await start({ module: basic, threads: 1 });
    const controller = new AbortController();
    const running = pool.run('waitAbort', { signal: controller.signal });
    // Dispatched in the microtask after run(); the abort follows the job on the same port, so the handler has it first.
    await new Promise((r) => setImmediate(r));
    expect(pool.stats().running).toBe(1);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(JobAbortedError);
    // The handler saw the abort and returned; its slot is free again and the thread serves on.
    expect(await pool.run('echo', 'after')).toBe('after');
    expect(pool.stats()).toMatchObject({ aborted: 1, resolved: 1, threadDeaths: 0 });
    expectBalanced(pool.stats());
  });
});

describe('timeouts and the abort grace', () => {
  it('a queued job past its timeout is removed at once with JobTimeoutError', async () => {
    const pool = await start({ module: basic, threads: 1, concurrentJobsPerThread: 1, spare: false });
    const blocker = new AbortController();
    const busy = pool.run('waitAbort', { signal: blocker.signal });
    const late = pool.run('count', { timeoutMs: 30 });
    const error = await late.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error).toMatchObject({ code: 'ERR_JOB_TIMEOUT', timeoutMs: 30, job: { id: 2, handler: 'count' } });
    blocker.abort();
    await expect(busy).rejects.toBeInstanceOf(JobAbortedError);
    expect(await pool.run('count')).toBe(1);
  });

  it('a running job past its timeout gets a TimeoutError on ctx.signal; the pool default jobTimeoutMs applies', async () => {
    const pool = await start({ module: basic, threads: 1, jobTimeoutMs: 30 });
    const error = await pool.run('waitAbort').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(pool.stats()).toMatchObject({ timedOut: 1, threadDeaths: 0 });
    // One thread: the handler that timed out ran there, and saw a TimeoutError as its signal's reason.
    expect(await pool.run('lastAbort')).toBe('TimeoutError');
    const own = await pool.run('waitAbort', { timeoutMs: Infinity, signal: AbortSignal.timeout(30) }).catch((e: unknown) => e);
    expect(own).toBeInstanceOf(JobAbortedError);
    expect(await pool.run('lastAbort')).toBe('AbortError');
  });

  it('a handler that ignores its abort past abortGraceMs has its thread terminated and replaced; the job is not redelivered and jobs sharing the thread run again uncounted', async () => {
    const pool = await start({ module: basic, threads: 1, abortGraceMs: 50 });
    const exited = deferred<{ reason: { kind: string }; attributed: boolean }>();
    pool.events.on('thread:exited', (e) => exited.resolve(e));
    const redelivered: { counted: boolean }[] = [];
    pool.events.on('job:redelivered', (e) => void redelivered.push(e));
    const stuck = pool.run('ignoreAbort', { timeoutMs: 30 });
    const neighbour = pool.run('sleep', 300);
    await expect(stuck).rejects.toBeInstanceOf(JobTimeoutError);
    expect(await exited.promise).toMatchObject({ reason: { kind: 'killed' }, attributed: true });
    expect(await neighbour).toBe(300);
    expect(redelivered).toEqual([expect.objectContaining({ counted: false, delivery: 2 })]);
    expect(pool.stats()).toMatchObject({ timedOut: 1, resolved: 1, deadLettered: 0, threadDeaths: 1 });
    expect(await pool.run('echo', 'served')).toBe('served');
    expectBalanced(pool.stats());
  });
});
