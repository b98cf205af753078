// Rows for worker actors: call round trips against raw postMessage, and start-up against a bare Worker.
import { startWorker } from 'threadvisor';
import { perSecond } from '../lib/figures.mjs';
import { RawClient, startRaw } from '../lib/raw.mjs';

const echoWorker = new URL('../fixtures/echo-worker.mjs', import.meta.url);
const PAYLOAD = 42;

/** Sets up the worker rows: one threadvisor worker and one raw thread shared by the call rows. */
export async function setup({ quick }) {
  const ref = await startWorker({ module: echoWorker });
  const rawWorker = await startRaw();
  const raw = new RawClient([rawWorker]);
  // Rounds of a few hundred ms: shorter ones measure GC pauses and the scheduler more than the code.
  const sequential = quick ? 10_000 : 30_000;
  const batches = quick ? 150 : 400;
  const spawns = quick ? 8 : 20;

  const rows = [
    {
      name: 'call.sequential',
      unit: 'calls/s',
      better: 'higher',
      target: 0.85,
      ours: () => perSecond(sequential, async () => {
        for (let i = 0; i < sequential; i++) await ref.call('echo', PAYLOAD);
      }),
      baseline: () => perSecond(sequential, async () => {
        for (let i = 0; i < sequential; i++) await raw.call(PAYLOAD);
      }),
    },
    {
      name: 'call.pipelined256',
      unit: 'calls/s',
      better: 'higher',
      target: 0.8,
      ours: () => perSecond(batches * 256, async () => {
        for (let b = 0; b < batches; b++) {
          const inFlight = [];
          for (let i = 0; i < 256; i++) inFlight.push(ref.call('echo', PAYLOAD));
          await Promise.all(inFlight);
        }
      }),
      baseline: () => perSecond(batches * 256, async () => {
        for (let b = 0; b < batches; b++) {
          const inFlight = [];
          for (let i = 0; i < 256; i++) inFlight.push(raw.call(PAYLOAD));
          await Promise.all(inFlight);
        }
      }),
    },
    {
      name: 'worker.start',
      unit: 'ms',
      better: 'lower',
      target: 1.15,
      // Spawn to ready: the thread loads the module, handshakes and runs init. Stopping is not timed.
      ours: async () => {
        let total = 0;
        for (let i = 0; i < spawns; i++) {
          const t0 = performance.now();
          const started = await startWorker({ module: echoWorker });
          total += performance.now() - t0;
          await started.stop(undefined, { shutdown: 'brutal_kill' });
        }
        return total / spawns;
      },
      // Spawn to the thread's first message.
      baseline: async () => {
        let total = 0;
        for (let i = 0; i < spawns; i++) {
          const t0 = performance.now();
          const worker = await startRaw();
          total += performance.now() - t0;
          await worker.terminate();
        }
        return total / spawns;
      },
    },
  ];

  return {
    rows,
    teardown: async () => {
      await ref.stop(undefined, { shutdown: 'brutal_kill' });
      await rawWorker.terminate();
    },
  };
}
