// Issue 10, item 4: under random poison jobs, thread crashes, hangs, timeouts and aborts, with concurrent
// callers and a stop at a random moment, over real threads, every submitted job ends in exactly one
// outcome its kind allows; none is lost (every promise settles), none settles twice (the counters equal
// what the callers saw, outcome by outcome), and no thread outlives the pool.
import fc from 'fast-check';
import type { Pool } from '../../src/index.js';
import { expectBalanced, jobs, outcomes, usePools } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const start = usePools();

type Kind = 'echo' | 'throws' | 'exit' | 'exitOnFirst' | 'sleep' | 'ignoreAbort' | 'abort' | 'crashLater' | 'spin';

interface Op {
  kind: Kind;
  /** A timeout for the job (ms), or none. */
  timeoutMs: number | undefined;
  /** For sleep: how long; for abort: when the caller aborts. */
  ms: number;
  /** Let the event loop turn this many times before the next submission (callers interleave). */
  gap: number;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constantFrom<Kind>('echo', 'sleep', 'throws', 'exitOnFirst', 'abort'), weight: 6 },
    { arbitrary: fc.constantFrom<Kind>('exit', 'crashLater', 'ignoreAbort'), weight: 2 },
    // A hang costs two heartbeats of a thread: rare.
    { arbitrary: fc.constant<Kind>('spin'), weight: 1 },
  ),
  // One job in four has a timeout: enough to time some out, few enough that most run to their own end.
  timeoutMs: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.integer({ min: 10, max: 200 }), weight: 1 }),
  ms: fc.integer({ min: 0, max: 60 }),
  gap: fc.integer({ min: 0, max: 3 }),
});

/** What each kind may end in (besides being refused: queue full, or the pool stopped). */
const ALLOWED: Record<Kind, string[]> = {
  echo: ['resolved'],
  throws: ['ERR_JOB_FAILED'],
  exit: ['ERR_DEAD_LETTERED'],
  crashLater: ['ERR_DEAD_LETTERED'],
  spin: ['ERR_DEAD_LETTERED'],
  exitOnFirst: ['resolved'],
  sleep: ['resolved'],
  ignoreAbort: [],
  abort: ['ERR_JOB_ABORTED'],
};
const REFUSED = ['ERR_QUEUE_FULL', 'ERR_POOL_STOPPED'];

function submit(pool: Pool, o: Op): Promise<unknown> {
  // Every kind may time out when it has a timeout.
  const options = o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs };
  switch (o.kind) {
    case 'echo': return pool.run('echo', o.ms, options);
    case 'throws': return pool.run('throws', 'chaos', options);
    case 'exit': return pool.run('exit', 3, options);
    case 'exitOnFirst': return pool.run('exitOnFirst', 4, options);
    case 'crashLater': return pool.run('crashLater', options);
    case 'spin': return pool.run('spin', options);
    case 'sleep': return pool.run('sleep', o.ms, options);
    case 'ignoreAbort': return pool.run('ignoreAbort', { timeoutMs: o.timeoutMs ?? 20 });
    case 'abort': {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), o.ms);
      return pool.run('waitAbort', { ...options, signal: controller.signal });
    }
  }
}

describe('chaos: every job ends exactly once, and the counters agree with the callers', () => {
  it('holds under random poison, crashes, hangs, timeouts, aborts and a stop at a random moment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 45 }), fc.option(fc.nat(45), { nil: undefined }), async (ops, stopAt) => {
        const pool = await start({
          module: basic, minThreads: 1, maxThreads: 3, maxDeliveries: 2, abortGraceMs: 40, heartbeatMs: 150,
          maxQueue: 25, concurrentJobsPerThread: 4, shutdownMs: 300,
        });
        const submitted: { kind: Kind; timed: boolean; promise: Promise<unknown> }[] = [];
        let stopping: Promise<void> | undefined;
        for (const [i, o] of ops.entries()) {
          if (i === stopAt) stopping = pool.stop();
          submitted.push({ kind: o.kind, timed: o.kind === 'ignoreAbort' || o.timeoutMs !== undefined, promise: submit(pool, o) });
          for (let g = 0; g < o.gap; g++) await new Promise((r) => setImmediate(r));
        }
        const settled = await Promise.allSettled(submitted.map((s) => s.promise));
        settled.forEach((r, i) => {
          const { kind, timed } = submitted[i]!;
          const got = r.status === 'fulfilled' ? 'resolved' : String((r.reason as { code?: unknown }).code);
          const allowed = [...ALLOWED[kind], ...REFUSED, ...(timed ? ['ERR_JOB_TIMEOUT'] : [])];
          if (!allowed.includes(got)) throw new Error(`job ${i} (${kind}) ended ${got}: ${(r as PromiseRejectedResult).reason}`);
        });
        await (stopping ?? pool.stop());
        const stats = pool.stats();
        const seen = outcomes(settled);
        const count = (...codes: string[]) => codes.reduce((n, c) => n + (seen[c] ?? 0), 0);
        expect({
          submitted: stats.submitted, resolved: stats.resolved, failed: stats.failed, timedOut: stats.timedOut,
          aborted: stats.aborted, deadLettered: stats.deadLettered, rejected: stats.rejected, queued: stats.queued, running: stats.running,
        }).toEqual({
          submitted: ops.length, resolved: count('resolved'), failed: count('ERR_JOB_FAILED'), timedOut: count('ERR_JOB_TIMEOUT'),
          aborted: count('ERR_JOB_ABORTED'), deadLettered: count('ERR_DEAD_LETTERED'), rejected: count(...REFUSED), queued: 0, running: 0,
        });
        expectBalanced(stats);
        expect(pool.deadLetters.size).toBe(Math.min(stats.deadLettered, 1000));
        expect(pool.threads()).toEqual([]);
      }),
      { numRuns: 6, seed: Number(process.env.FC_SEED ?? 20261130), endOnFailure: true },
    );
  }, 60_000);
});
