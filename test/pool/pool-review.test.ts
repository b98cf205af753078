// Regressions found by the adversarial review of pools (each over real threads): lost transferred jobs,
// pools that never finish stopping, poison that escaped attribution, sinks that crash the process,
// modules that change on disk, batches that look like hangs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DeadLetteredError, InvalidSpecError, StartError, startWorker } from '../../src/index.js';
import type { ExitReason } from '../../src/index.js';
import { deferred, jobs, silent, threadsAlive, usePools } from './pool-harness.js';

const review = jobs('review.jobs.mjs');
const start = usePools();

describe('review regressions', () => {
  it('stop() settles when the spare fails its start after the stop began', async () => {
    const starts = new SharedArrayBuffer(4);
    const gate = new SharedArrayBuffer(4);
    const pool = await start({ module: review, threads: 1, args: { starts, gate } });
    expect(pool.stats().startingThreads).toBe(1);
    const stopped = pool.stop();
    // The spare is still in init (it waits for the gate): its start fails only now, after the stop.
    Atomics.store(new Int32Array(gate), 0, 1);
    await stopped;
    expect(await pool.exited).toEqual({ kind: 'shutdown' });
  });

  it('an async dead-letter callback that rejects is logged and counted, and the letter is kept in memory', async () => {
    const failed = deferred<string>();
    const pool = await start({
      module: review, threads: 1, maxDeliveries: 1,
      deadLetters: async () => {
        await Promise.resolve();
        throw new Error('db down');
      },
    });
    pool.events.on('dead_letter:sink_failed', (e) => failed.resolve(e.error.message));
    await expect(pool.run('exit', 1)).rejects.toBeInstanceOf(DeadLetteredError);
    expect(await failed.promise).toBe('db down');
    expect(pool.deadLetters.size).toBe(1);
    expect(pool.stats().deadLetterSinkErrors).toBe(1);
  });

  it('a transferred job whose thread dies is dead-lettered at once (its data went with the thread), and the pool keeps serving', async () => {
    const pool = await start({ module: review, threads: 1, maxDeliveries: 2 });
    const bytes = new Uint8Array(1024);
    const innocent = pool.run('len', bytes, { transfer: [bytes.buffer] }).then(() => undefined, (e: unknown) => e);
    const poison = pool.run('exit', 9).then(() => undefined, (e: unknown) => e);
    const later = pool.run('echo', 'after');
    const letter = ((await innocent) as DeadLetteredError).deadLetter;
    expect(letter.attempts.map((a) => a.reason)).toEqual([{ kind: 'exit', code: 9 }]);
    expect(await poison).toBeInstanceOf(DeadLetteredError);
    expect(await later).toBe('after');
    expect(pool.stats()).toMatchObject({ deadLettered: 2, running: 0, queued: 0 });
  });

  it('a job whose transfer list holds an already-detached buffer is refused with DataCloneError, not lost', async () => {
    const pool = await start({ module: review, threads: 1 });
    const bytes = new Uint8Array(16);
    expect(await pool.run('len', bytes, { transfer: [bytes.buffer] })).toBe(16);
    // The first run moved the buffer: sending it again would be dropped by Node without an error.
    await expect(pool.run('len', bytes, { transfer: [bytes.buffer] })).rejects.toMatchObject({ code: 'ERR_DATA_CLONE' });
    expect(await pool.run('echo', 'still serving')).toBe('still serving');
  });

  it('a job that leaves an unhandled rejection behind is the poison (dead-lettered), not an idle death that escalates the pool', async () => {
    const pool = await start({ module: review, threads: 1, maxDeliveries: 2, maxRestarts: 0 });
    const letter = await pool.run('unhandled').then(() => undefined, (e: DeadLetteredError) => e.deadLetter);
    expect(letter?.attempts.map((a) => (a.reason as Extract<ExitReason, { kind: 'error' }>).error.message)).toEqual(['left behind by the job', 'left behind by the job']);
    // maxRestarts 0: one death blamed on no job would have ended the pool.
    expect(await pool.run('echo', 'alive')).toBe('alive');
  });

  it('a batch of innocent CPU-bound jobs longer than the heartbeat is not taken for a hung thread', async () => {
    const pool = await start({ module: review, threads: 1, maxDeliveries: 1, heartbeatMs: 200 });
    const done = await Promise.all(Array.from({ length: 12 }, () => pool.run('busy', 50)));
    expect(done).toEqual(Array.from({ length: 12 }, () => 50));
    expect(pool.stats()).toMatchObject({ threadDeaths: 0, deadLettered: 0, resolved: 12 });
  });

  it('a hang is charged to the job in its handler only: the jobs beside it and the ones that never started are sent again uncounted', async () => {
    const pool = await start({ module: review, threads: 1, maxDeliveries: 1, heartbeatMs: 200 });
    const redelivered: boolean[] = [];
    pool.events.on('job:redelivered', (e) => void redelivered.push(e.counted));
    const runs = [pool.run('echo', 1), pool.run('spin'), pool.run('echo', 2), pool.run('echo', 3)].map((p) => p.then((v) => v, (e: { code: string }) => e.code));
    expect(await Promise.all(runs)).toEqual([1, 'ERR_DEAD_LETTERED', 2, 3]);
    expect(redelivered).toEqual([false, false, false]);
    const letter = pool.deadLetters.list()[0]!;
    expect(letter.job.handler).toBe('spin');
    expect(letter.attempts.map((a) => a.reason.kind)).toEqual(['hung']);
  });

  it('a module where every job kills its thread escalates: dead letters in a row past deadLetterStreak count toward intensity', async () => {
    const pool = await start({ module: review, threads: 1, maxDeliveries: 1, maxRestarts: 2, periodMs: 60_000 });
    // Poison between successes never escalates: two in a row are forgiven.
    await expect(pool.run('exit', 1)).rejects.toBeInstanceOf(DeadLetteredError);
    await expect(pool.run('exit', 1)).rejects.toBeInstanceOf(DeadLetteredError);
    expect(await pool.run('echo', 'ok')).toBe('ok');
    const all = await Promise.all(Array.from({ length: 8 }, () => pool.run('exit', 1).then(() => 'resolved', (e: { code: string }) => e.code)));
    // Letters 1-2 forgiven, 3-5 counted (maxRestarts 2): the fifth ends the pool; the rest are refused.
    expect(all).toEqual([...Array.from({ length: 5 }, () => 'ERR_DEAD_LETTERED'), 'ERR_POOL_STOPPED', 'ERR_POOL_STOPPED', 'ERR_POOL_STOPPED']);
    expect(await pool.exited).toMatchObject({ kind: 'max_intensity', maxRestarts: 2, lastReason: { kind: 'exit', code: 1 } });
    expect(pool.stats()).toMatchObject({ deadLettered: 7, rejected: 3, resolved: 1, queued: 0, running: 0 });
  });

  it('a misspelt run option is refused with did-you-mean, never sent as an argument', async () => {
    const pool = await start({ module: review, threads: 1 });
    const typo = await pool.run('echo', 1, { timeoutMS: 200 } as never).catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(InvalidSpecError);
    expect((typo as InvalidSpecError).issues).toEqual([expect.objectContaining({ path: 'timeoutMS', message: expect.stringMatching(/unknown key 'timeoutMS' \(did you mean 'timeoutMs'\?\)/) })]);
    await expect(pool.run('echo', 1, { timeoutMs: 100, foo: 1 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_SPEC', issues: [{ path: 'foo' }] });
    // Within the declared parameters, or with no key near an option's, an object is an argument.
    expect(await pool.run('echo', { timeoutMS: 1 })).toEqual({ timeoutMS: 1 });
    expect(await pool.run('echo', 1, { colour: 'red' } as never)).toBe(1);
    expect(pool.stats()).toMatchObject({ rejected: 2, resolved: 2 });
  });

  it("a dead letter's log record shows its arguments rendered short; the letter keeps them whole", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const pool = await start({ module: review, threads: 1, maxDeliveries: 1, logger });
    const big = 'x'.repeat(100_000);
    const letter = await pool.run('exit', 1, big as never).then(() => undefined, (e: DeadLetteredError) => e.deadLetter);
    expect(letter!.job.args).toEqual([1, big]);
    const logged = lines.find((l) => String(l.msg).startsWith("job 1 ('exit') dead-lettered"))!;
    expect(logged.deadLetter).toEqual({ job: { id: 1, handler: 'exit', args: expect.stringMatching(/^\[1,"xxx[x]*\.\.\.$/) }, attempts: 1, reasons: ['exit(1)'] });
    expect(JSON.stringify(logged).length).toBeLessThan(1000);
  });

  it('startWorker on a job handler module fails its start pointing to startPool; no thread is left', async () => {
    const error = await startWorker({ module: review, logger: silent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).error).toMatchObject({ name: 'NotAWorkerModuleError', message: expect.stringMatching(/defines job handlers \(defineJobHandler\), not a worker; run its jobs with startPool\(\) or a pool\(\) child/) });
    expect(await threadsAlive()).toBe(0);
  });

  describe('a module rewritten on disk while the pool runs', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tv-skew-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a thread whose handler table differs is a failed start naming both tables, never a wrong handler run', async () => {
      const order = join(dir, 'order');
      writeFileSync(order, 'charge,refund,die');
      const pool = await start({ module: jobs('skew.jobs.mjs'), threads: 1, spare: false, maxDeliveries: 1, env: { SKEW_ORDER: order }, maxRestarts: 0 });
      expect(await pool.run('charge', 10)).toBe('charged 10');
      const failure = deferred<string>();
      pool.events.on('thread:start_failed', (e) => failure.resolve(`${e.error.name}: ${e.error.message}`));
      writeFileSync(order, 'refund,charge,die');
      await expect(pool.run('die')).rejects.toBeInstanceOf(DeadLetteredError);
      const charged = pool.run('charge', 10).then((v) => v, (e: { code: string }) => e.code);
      expect(await failure.promise).toMatch(/HandlerTableMismatchError: the thread loaded handlers \[refund\/1, charge\/1, die\/0\] but the pool runs \[charge\/1, refund\/1, die\/0\]/);
      // maxRestarts 0: the failed start ends the pool; the queued job is refused, never run by 'refund'.
      expect(await charged).toBe('ERR_POOL_STOPPED');
      expect((await pool.exited).kind).toBe('max_intensity');
    });
  });
});
