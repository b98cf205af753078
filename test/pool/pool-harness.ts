// Shared by the pool tests: fixture URLs, a start helper that tracks every pool it starts (and kills
// what is left after each test), and the check that no thread outlives a test.
import { afterEach, expect } from '@jest/globals';
import { pino } from 'pino';
import { startPool } from '../../src/index.js';
import type { AnyJobs, Pool, PoolStats, StartPoolOptions } from '../../src/index.js';
import { threadsAlive } from '../integration/worker-harness.js';

export { deferred, threadsAlive } from '../integration/worker-harness.js';

/** The URL of a job module in test/fixtures/jobs. */
export function jobs(name: string): URL {
  return new URL(`../fixtures/jobs/${name}`, import.meta.url);
}

/** A pino logger that writes nowhere: the tests assert events and counters, not log lines. */
export const silent = pino({ level: 'silent' });

/** Starts pools for one test file; after each test, kills what is still running and checks no thread survived. */
export function usePools(): <J = AnyJobs>(options: StartPoolOptions<J>) => Promise<Pool<J>> {
  const started = new Set<Pool<never>>();
  afterEach(async () => {
    // The engine's kill (what a supervisor's brutal_kill uses): every thread terminated at once.
    for (const p of started) (p as unknown as { kill(afterMs: number): void }).kill(0);
    await Promise.all([...started].map((p) => p.exited));
    started.clear();
    expect(await threadsAlive()).toBe(0);
  });
  return async <J = AnyJobs>(options: StartPoolOptions<J>) => {
    const pool = await startPool<J>({ logger: silent, ...options });
    started.add(pool as unknown as Pool<never>);
    return pool;
  };
}

/** Outcomes of settled jobs, by the error code (or 'resolved'), to compare with a pool's counters. */
export function outcomes(settled: PromiseSettledResult<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of settled) {
    const key = r.status === 'fulfilled' ? 'resolved' : String((r.reason as { code?: unknown }).code);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Every job is accounted for: the outcome counters plus what is pending add up to what was submitted. */
export function expectBalanced(stats: PoolStats): void {
  const ended = stats.resolved + stats.failed + stats.timedOut + stats.aborted + stats.deadLettered + stats.rejected;
  expect(ended + stats.queued + stats.running).toBe(stats.submitted);
}
