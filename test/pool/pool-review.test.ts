// Regressions found by the adversarial review of pools (each over real threads): lost transferred jobs,
// pools that never finish stopping, poison that escaped attribution, sinks that crash the process,
// modules that change on disk, batches that look like hangs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetteredError } from '../../src/index.js';
import type { DeadLetter } from '../../src/index.js';
import { deferred, jobs, usePools } from './pool-harness.js';

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
