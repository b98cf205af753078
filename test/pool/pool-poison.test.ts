// Issue 10, item 3, over real threads: a job that kills its thread is redelivered alone on another thread
// up to maxDeliveries, then dead-lettered with its history; poison never escalates the pool; dead letters
// reach the in-memory box, a callback or a store, and nothing is dropped silently.
import { pino } from 'pino';
import { DeadLetteredError } from '../../src/index.js';
import type { DeadLetter, ExitReason } from '../../src/index.js';
import { deferred, expectBalanced, jobs, usePools } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const start = usePools();

async function deadLetterOf(promise: Promise<unknown>): Promise<DeadLetter> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeadLetteredError);
  return (error as DeadLetteredError).deadLetter;
}

describe('poison jobs', () => {
  it('process.exit in a handler: redelivered up to maxDeliveries on fresh threads, then dead-lettered with every attempt', async () => {
    const pool = await start({ module: basic, threads: 2 });
    const redeliveries: number[] = [];
    pool.events.on('job:redelivered', (e) => redeliveries.push(e.delivery));
    const letter = await deadLetterOf(pool.run('exit', 3));
    expect(letter.job).toEqual({ id: 1, handler: 'exit', args: [3] });
    expect(letter.attempts.map((a) => [a.delivery, a.reason])).toEqual([
      [1, { kind: 'exit', code: 3 }], [2, { kind: 'exit', code: 3 }], [3, { kind: 'exit', code: 3 }],
    ]);
    expect(new Set(letter.attempts.map((a) => a.threadId)).size).toBe(3);
    for (const a of letter.attempts) expect(a.endedAt).toBeGreaterThanOrEqual(a.startedAt);
    expect(letter.deadLetteredAt).toBeGreaterThanOrEqual(letter.attempts[2]!.endedAt);
    expect(redeliveries).toEqual([2, 3]);
    expect(pool.deadLetters.list()).toEqual([letter]);
    // The deaths were the job's: the pool did not escalate, and serves the next job on its threads.
    expect(await pool.run('echo', 'still here')).toBe('still here');
    expect(pool.stats()).toMatchObject({ deadLettered: 1, redelivered: 2, threadDeaths: 3 });
    // Each dead thread is replaced (the spare at once, else a new boot): back to two serving threads.
    while (pool.stats().activeThreads < 2) await new Promise((resolve) => pool.events.once('thread:started', resolve));
    expect(pool.deadLetters.drain()).toEqual([letter]);
    expect(pool.deadLetters.size).toBe(0);
  });

  it('a job that kills only its first delivery succeeds on its redelivery, on another thread', async () => {
    const pool = await start({ module: basic, threads: 1 });
    expect(await pool.run('exitOnFirst', 9)).toBe(2);
    expect(pool.stats()).toMatchObject({ resolved: 1, redelivered: 1, deadLettered: 0 });
  });

  it.each([
    ['an uncaught exception from a timer the job left', 'crashLater', 'Error', /boom from a timer/],
    ['an unhandled rejection', 'unhandled', 'Error', /nobody catches this/],
  ])('%s: each attempt carries the error and its stack', async (_what, handler, name, message) => {
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 2 });
    const letter = await deadLetterOf(pool.run(handler as 'crashLater'));
    expect(letter.attempts).toHaveLength(2);
    for (const a of letter.attempts) {
      const reason = a.reason as Extract<ExitReason, { kind: 'error' }>;
      expect(reason.kind).toBe('error');
      expect(reason.error.name).toBe(name);
      expect(reason.error.message).toMatch(message);
      expect(reason.error.stack).toMatch(/basic\.jobs\.mjs/);
    }
  });

  it('a hang is caught by the heartbeat: poison', async () => {
    const pool = await start({ module: basic, threads: 1, heartbeatMs: 100, maxDeliveries: 1 });
    const hung = await deadLetterOf(pool.run('spin'));
    expect(hung.attempts[0]!.reason.kind).toBe('hung');
    expect(await pool.run('echo', 1)).toBe(1);
  });

  it('an oom under resourceLimits (heap grown in small steps): poison', async () => {
    // No heartbeat: the collector's long pauses near the limit would look like a hang first.
    const pool = await start({ module: basic, threads: 1, heartbeatMs: false, maxDeliveries: 1, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    const oom = await deadLetterOf(pool.run('oom'));
    expect(oom.attempts[0]!.reason.kind).toBe('oom');
    expect(await pool.run('echo', 1)).toBe(1);
  });

  it('attribution: innocent jobs sharing a thread with a poison job are redelivered alone and succeed; only the culprit is dead-lettered', async () => {
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 2 });
    // Sent in one tick, they share one thread (and one message) with the poison job.
    const innocents = Array.from({ length: 5 }, (_, i) => pool.run('sleep', 50 + i));
    const poison = pool.run('exit', 1);
    expect(await Promise.all(innocents)).toEqual([50, 51, 52, 53, 54]);
    const letter = await deadLetterOf(poison);
    expect(letter.attempts).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ resolved: 5, deadLettered: 1 });
    expectBalanced(pool.stats());
  });

  it('a replacement is the pre-booted spare: the next job is served on it without booting a thread', async () => {
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 1 });
    // Wait until the spare has booted (it boots after the pool starts).
    while (!pool.stats().spareReady) await new Promise((r) => setImmediate(r));
    const spare = pool.threads().find((t) => t.state === 'spare')!.threadId;
    const promoted = deferred<{ threadId: number; promoted: boolean }>();
    pool.events.on('thread:started', (e) => promoted.resolve(e));
    await deadLetterOf(pool.run('exit', 1));
    expect(await promoted.promise).toEqual({ pool: 'basic.jobs.mjs', threadId: spare, promoted: true });
    expect(await pool.run('threadId')).toBe(spare);
  });
});

describe('dead-letter sinks', () => {
  it('a callback gets each letter; the in-memory box then holds nothing', async () => {
    const got: DeadLetter[] = [];
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 1, deadLetters: (l) => void got.push(l) });
    await deadLetterOf(pool.run('exit', 2));
    expect(got.map((l) => l.job.handler)).toEqual(['exit']);
    expect(pool.deadLetters.size).toBe(0);
  });

  it('a store that rejects: the error is counted and emitted, and the letter is kept in memory', async () => {
    const failed = deferred<unknown>();
    const puts: DeadLetter[] = [];
    const pool = await start({
      module: basic, threads: 1, maxDeliveries: 1,
      deadLetters: { put: async (l) => { puts.push(l); throw new Error('store down'); } },
    });
    pool.events.on('dead_letter:sink_failed', (e) => failed.resolve(e));
    const letter = await deadLetterOf(pool.run('exit', 2));
    expect(await failed.promise).toMatchObject({ letter, error: { message: 'store down' } });
    expect(puts).toEqual([letter]);
    expect(pool.deadLetters.list()).toEqual([letter]);
    expect(pool.stats().deadLetterSinkErrors).toBe(1);
  });

  it('a full box drops its oldest letter, counted and emitted, never silently', async () => {
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 1, deadLetterCapacity: 1 });
    const dropped: DeadLetter[] = [];
    pool.events.on('dead_letter:dropped', (e) => void dropped.push(e.letter));
    const first = await deadLetterOf(pool.run('exit', 1));
    const second = await deadLetterOf(pool.run('exit', 2));
    expect(dropped).toEqual([first]);
    expect(pool.deadLetters.list()).toEqual([second]);
    expect(pool.stats().deadLettersDropped).toBe(1);
  });
});

describe('pino records', () => {
  it('a failed job, a thread death and a dead letter are logged, the death with the stack of what killed the thread', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const pool = await start({ module: basic, threads: 1, maxDeliveries: 1, logger });
    await expect(pool.run('throws', 'logged')).rejects.toMatchObject({ code: 'ERR_JOB_FAILED' });
    await deadLetterOf(pool.run('crashLater'));
    const failed = lines.find((l) => String(l.msg).startsWith("job 1 ('throws') failed"));
    expect(failed).toMatchObject({ level: 40, pool: 'basic.jobs.mjs', err: { message: 'logged' } });
    expect(String((failed!.err as { stack: string }).stack)).toMatch(/^TypeError: logged\n[^]*basic\.jobs\.mjs/);
    const death = lines.find((l) => /^thread \d+ of pool 'basic\.jobs\.mjs' died \(error: Error: boom from a timer\) with 1 job\(s\) on it$/.test(String(l.msg)));
    expect(death).toMatchObject({ level: 50, jobs: [2] });
    expect(String((death!.err as { stack: string }).stack)).toMatch(/basic\.jobs\.mjs/);
    const letter = lines.find((l) => String(l.msg).startsWith("job 2 ('crashLater') dead-lettered"));
    expect(letter).toMatchObject({ level: 50, deadLetter: { job: { id: 2, handler: 'crashLater' } } });
  });
});
