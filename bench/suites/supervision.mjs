// Rows for the supervision engine: a cold restart against a hand-written respawn loop, starting and
// stopping a tree of 50 workers against 50 bare threads, and the simulator's event rate.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { startSupervisor, worker } from 'threadvisor';
import { simulate } from 'threadvisor/testing';
import { median } from '../lib/figures.mjs';

const crashy = new URL('../fixtures/crashy-worker.mjs', import.meta.url);
const rawCrashy = new URL('../fixtures/raw-crashy.mjs', import.meta.url);
const echo = new URL('../fixtures/echo-worker.mjs', import.meta.url);
const rawEcho = new URL('../fixtures/raw-echo.mjs', import.meta.url);
// Crash reports are part of the cost being measured, but printing them would flood the table.
const logger = pino({ level: 'silent' });

/** A bare thread kept alive by hand: respawned on 'exit', as one would without a supervisor. */
class RawRespawner {
  worker;
  crashes = 0;
  async start() {
    this.worker = new Worker(rawCrashy);
    // The crash is expected (and counted); without a listener Node would rethrow it in the main thread.
    this.worker.on('error', () => (this.crashes += 1));
    await once(this.worker, 'message');
  }
  /** Crash, wait for 'exit', respawn, wait for ready, then one echo round trip: the baseline of a restart. */
  async restart() {
    const t0 = performance.now();
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('crash');
    await exited;
    await this.start();
    const reply = once(this.worker, 'message');
    this.worker.postMessage(1);
    await reply;
    return performance.now() - t0;
  }
}

/** The simulator's crash storm: a 3-level tree, one crash every 10 virtual ms, intensity never reached. */
function crashStorm(crashes) {
  const w = (id) => ({ type: 'worker', id, module: `sim:${id}` });
  const wide = { maxRestarts: 1e9, periodMs: 1 };
  const spec = {
    ...wide,
    children: [
      { type: 'supervisor', id: 'a', strategy: 'one_for_all', ...wide, children: [
        { type: 'supervisor', id: 'b', strategy: 'rest_for_one', ...wide, children: [w('x'), w('y'), w('z')] }, w('p')] },
      w('q'), w('r'),
    ],
  };
  const paths = ['a/b/x', 'a/b/y', 'a/b/z', 'a/p', 'q', 'r'];
  const faults = Array.from({ length: crashes }, (_, i) => ({ at: i * 10, path: paths[i % paths.length], fault: 'crash', reason: 'error' }));
  return { spec, faults, untilMs: crashes * 10 + 1 };
}

export async function setup({ quick }) {
  const restarts = quick ? 5 : 15;
  const storm = crashStorm(quick ? 10_000 : 30_000);
  const TREE = 50;

  const sup = await startSupervisor({ maxRestarts: 1e6, periodMs: 1, children: [worker({ id: 'c', module: crashy })] }, { logger });
  const ref = sup.ref('c');
  const raw = new RawRespawner();
  await raw.start();

  const rows = [
    {
      name: 'restart.cold',
      unit: 'ms',
      better: 'lower',
      target: 1.2,
      // From the crash to the replacement answering a call, under one_for_one; the median of `restarts`.
      ours: async () => {
        const times = [];
        for (let i = 0; i < restarts; i++) {
          const t0 = performance.now();
          const restarted = new Promise((resolve) => sup.once('child:restarted', resolve));
          ref.cast('crash');
          await restarted;
          await ref.call('echo', 1);
          times.push(performance.now() - t0);
        }
        return median(times);
      },
      baseline: async () => {
        const times = [];
        for (let i = 0; i < restarts; i++) times.push(await raw.restart());
        return median(times);
      },
    },
    ...treeRows(TREE),
    {
      name: 'simulator.events',
      unit: 'events/s',
      better: 'higher',
      target: 1,
      // Trace events (starts, exits, restart decisions, stops...) produced per second of wall time.
      ours: async () => {
        const t0 = performance.now();
        const { trace } = simulate(storm.spec, storm.faults, { untilMs: storm.untilMs });
        return (trace.length * 1000) / (performance.now() - t0);
      },
      // No baseline exists; the figure is compared with the target of 1,000,000 events per second.
      baseline: async () => 1_000_000,
    },
  ];

  return {
    rows,
    teardown: async () => {
      await sup.stop();
      await raw.worker.terminate();
    },
  };
}

/** tree.start50 and tree.stop50 share their rounds: each round starts a tree, then stops it. */
function treeRows(n) {
  const spec = { children: Array.from({ length: n }, (_, i) => worker({ id: `w${i}`, module: echo })) };
  let pendingTree = null;
  let pendingRaw = null;
  const startTree = async () => {
    const t0 = performance.now();
    pendingTree = await startSupervisor(spec, { logger });
    return (performance.now() - t0) / n;
  };
  const startRaw = async () => {
    const t0 = performance.now();
    pendingRaw = [];
    for (let i = 0; i < n; i++) {
      const w = new Worker(rawEcho);
      await once(w, 'message');
      pendingRaw.push(w);
    }
    return (performance.now() - t0) / n;
  };
  return [
    {
      name: 'tree.start50',
      unit: 'ms/child',
      better: 'lower',
      target: 1.2,
      ours: async () => {
        const ms = await startTree();
        await pendingTree.stop();
        return ms;
      },
      baseline: async () => {
        const ms = await startRaw();
        for (const w of pendingRaw) await w.terminate();
        return ms;
      },
    },
    {
      name: 'tree.stop50',
      unit: 'ms/child',
      better: 'lower',
      target: 1.2,
      // Stopping in reverse start order, each child running its terminate, against terminating 50 bare
      // threads one after another.
      ours: async () => {
        await startTree();
        const t0 = performance.now();
        await pendingTree.stop();
        return (performance.now() - t0) / n;
      },
      baseline: async () => {
        await startRaw();
        const t0 = performance.now();
        for (const w of pendingRaw.reverse()) await w.terminate();
        return (performance.now() - t0) / n;
      },
    },
  ];
}
