// Rows for supervised pools (issue 10): trivial-job throughput against piscina and against raw pipelined
// postMessage, recovery from a job that kills its thread, and p99 latency under a fixed open-loop load.
// Every row's baseline runs in the same process, interleaved with ours by the runner.
import { pino } from 'pino';
import { Piscina } from 'piscina';
import { startPool } from 'threadvisor';
import { perSecond, percentile } from '../lib/figures.mjs';
import { closedLoop, openLoop } from '../lib/load.mjs';
import { RawClient, startRaw } from '../lib/raw.mjs';

const poolModule = new URL('../fixtures/pool-jobs.mjs', import.meta.url);
const piscinaModule = new URL('../fixtures/piscina-jobs.mjs', import.meta.url);
// Dead letters and replaced threads are logged with their stacks; that is part of the cost measured, but
// printing them would flood the table.
const logger = pino({ level: 'silent' });
const PAYLOAD = 42;
// Issue 10's load for the throughput rows: 256 jobs outstanding, refilled as each completes.
const IN_FLIGHT = 256;
// Before each recovery sample both pools are left idle this long, untimed, so each sample starts from a
// steady, quiet pool rather than from the aftermath of the last kill.
const SETTLE_MS = 100;

/** Starts one of our pools: the one place the suite touches threadvisor's pool API. */
function startOurs(options) {
  return startPool({ module: poolModule, logger, ...options });
}

/**
 * piscina with a fixed thread count (its defaults scale with the cores and shrink idle threads) and its
 * other defaults: one task at a time per thread, Atomics wake-ups.
 */
function startPiscina(threads) {
  return new Piscina({ filename: piscinaModule.href, minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the pool's spare has booted (it re-boots one after promoting it); untimed. */
async function spareReady(pool) {
  const deadline = performance.now() + 10_000;
  while (!pool.stats().spareReady) {
    if (performance.now() > deadline) throw new Error('the pool booted no spare within 10 s');
    await sleep(5);
  }
}

/**
 * Recovery, defined the same for both pools: from submitting a job that kills its (only) thread to the
 * first trivial job submitted after the killer settled having resolved. It covers the death being seen,
 * the killer being settled (rejected by piscina, dead-lettered by ours) and a thread taking the next job.
 * One thread, so the next job cannot simply run on a surviving sibling: the replacement is what is timed.
 * The median of `samples` kills.
 */
async function recovery(samples, ready, kill, next) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    await sleep(SETTLE_MS);
    await ready();
    const t0 = performance.now();
    const settled = await kill().then(() => false, () => true);
    if (!settled) throw new Error('the killer job resolved: the recovery row measured nothing');
    await next();
    times.push(performance.now() - t0);
  }
  return percentile(times, 0.5);
}

/** Sets up the pool rows: our pools, piscina's and bare threads, 1 and 2 threads each, kept for every round. */
export async function setup({ quick }) {
  const ours1 = await startOurs({ threads: 1 });
  const ours2 = await startOurs({ threads: 2 });
  // One delivery: piscina does not redeliver, so each side sees exactly one death per sample.
  const oursKill = await startOurs({ threads: 1, maxDeliveries: 1 });
  const piscina1 = startPiscina(1);
  const piscina2 = startPiscina(2);
  const piscinaKill = startPiscina(1);
  const raw1 = [await startRaw()];
  const raw2 = [await startRaw(), await startRaw()];
  const rawClient1 = new RawClient(raw1);
  const rawClient2 = new RawClient(raw2);

  // Rounds of half a second to a second at the slower side's pace (piscina runs about 20-30k trivial jobs/s
  // here, raw threads about 200k): shorter ones measure GC pauses and the scheduler more than the code.
  const piscinaJobs = quick ? 8_000 : 20_000;
  const rawJobs = quick ? 40_000 : 100_000;
  const samples = quick ? 3 : 5;

  // The latency row's load: half of piscina's peak on 2 threads (best of three runs after a warm-up), and a
  // count of about one second's worth (half a second when quick) at that rate. Measured when that row
  // first runs, so `--only` runs of other rows do not pay for it.
  let load;
  const measureLoad = async () => {
    const peak = () => perSecond(piscinaJobs, () => closedLoop(piscinaJobs, IN_FLIGHT, () => piscina2.run(PAYLOAD)));
    await peak();
    const rate = Math.max(await peak(), await peak(), await peak()) / 2;
    process.stderr.write(` (at ${Math.round(rate)} jobs/s, half of piscina's peak)`);
    return { rate, arrivals: Math.round(rate * (quick ? 0.5 : 1)) };
  };
  const p99 = async (submit) => {
    load ??= measureLoad();
    const { rate, arrivals } = await load;
    return percentile(await openLoop(rate, arrivals, submit), 0.99);
  };

  const throughput = (threads, ours, baseline, vs, jobs, target) => ({
    name: `pool.throughput.t${threads}.vs-${vs}`,
    unit: 'jobs/s',
    better: 'higher',
    target,
    ours: () => perSecond(jobs, () => closedLoop(jobs, IN_FLIGHT, () => ours.run('echo', PAYLOAD))),
    baseline: () => perSecond(jobs, () => closedLoop(jobs, IN_FLIGHT, baseline)),
  });

  const rows = [
    throughput(1, ours1, () => piscina1.run(PAYLOAD), 'piscina', piscinaJobs, 3),
    throughput(2, ours2, () => piscina2.run(PAYLOAD), 'piscina', piscinaJobs, 3),
    throughput(1, ours1, () => rawClient1.call(PAYLOAD), 'raw', rawJobs, 0.7),
    throughput(2, ours2, () => rawClient2.call(PAYLOAD), 'raw', rawJobs, 0.7),
    {
      name: 'pool.recovery.vs-piscina',
      unit: 'ms',
      better: 'lower',
      target: 1,
      // Ours runs as a user gets it: with its pre-booted spare (on by default), re-booted between samples.
      ours: () => recovery(samples, () => spareReady(oursKill), () => oursKill.run('exit'), () => oursKill.run('echo', PAYLOAD)),
      // piscina keeps no spare: once its replacement served the last sample's job, it is as ready as it gets.
      baseline: () => recovery(samples, async () => {}, () => piscinaKill.run('exit'), () => piscinaKill.run(PAYLOAD)),
    },
    {
      name: 'pool.latency-p99.vs-piscina',
      unit: 'ms',
      better: 'lower',
      target: 1,
      // 2 threads each, the same arrival times for both.
      ours: () => p99(() => ours2.run('echo', PAYLOAD)),
      baseline: () => p99(() => piscina2.run(PAYLOAD)),
    },
  ];

  return {
    rows,
    teardown: async () => {
      await Promise.all([ours1.stop(), ours2.stop(), oursKill.stop()]);
      await Promise.all([piscina1.destroy(), piscina2.destroy(), piscinaKill.destroy()]);
      await Promise.all([...raw1, ...raw2].map((w) => w.terminate()));
    },
  };
}
