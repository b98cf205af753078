// Rows for calls between actors: sequential round trips from one worker thread to another over
// threadvisor's direct channel, against the same calls by hand over a MessageChannel between two bare
// threads; and, to show what the direct channel buys, against bare threads whose calls go through the
// main thread (informational: no target).
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { startSupervisor, worker } from 'threadvisor';

const echoWorker = new URL('../fixtures/echo-worker.mjs', import.meta.url);
const callerWorker = new URL('../fixtures/peer-caller.mjs', import.meta.url);
const rawPeer = new URL('../fixtures/raw-peer.mjs', import.meta.url);
const PAYLOAD = 42;

async function startRaw() {
  const thread = new Worker(rawPeer);
  await once(thread, 'message');
  return thread;
}

/** Asks bare thread `caller` to make `count` calls on `port` and resolves with calls per second. */
async function rawLoop(caller, port, count) {
  caller.postMessage({ loop: { port, count, value: PAYLOAD } }, [port]);
  const [{ tookMs }] = await once(caller, 'message');
  return (count * 1000) / tookMs;
}

/** Sets up the rows: a tree of a caller and a callee, and two bare threads. */
export async function setup({ quick }) {
  const sup = await startSupervisor(
    { children: [worker({ id: 'caller', module: callerWorker }), worker({ id: 'echo', registeredName: 'echo', module: echoWorker })] },
    { logger: pino({ level: 'warn' }) },
  );
  const caller = sup.ref('caller').withTimeout(60_000);
  const rawCaller = await startRaw();
  const rawCallee = await startRaw();
  // Rounds of a few hundred ms: shorter ones measure GC pauses and the scheduler more than the code.
  const count = quick ? 10_000 : 30_000;

  const direct = async () => (count * 1000) / (await caller.call('loop', 'echo', count, PAYLOAD));
  const rawDirect = async () => {
    const { port1, port2 } = new MessageChannel();
    rawCallee.postMessage({ serve: port2 }, [port2]);
    return rawLoop(rawCaller, port1, count);
  };
  const rawViaMain = async () => {
    // The caller's port ends on the main thread, which relays each call to the callee and each reply back.
    const toMain = new MessageChannel();
    const toCallee = new MessageChannel();
    rawCallee.postMessage({ serve: toCallee.port2 }, [toCallee.port2]);
    toMain.port2.on('message', (m) => toCallee.port1.postMessage(m));
    toCallee.port1.on('message', (m) => toMain.port2.postMessage(m));
    try {
      return await rawLoop(rawCaller, toMain.port1, count);
    } finally {
      toMain.port2.close();
      toCallee.port1.close();
    }
  };

  const rows = [
    {
      name: 'call.worker2worker',
      unit: 'calls/s',
      better: 'higher',
      target: 0.8,
      ours: direct,
      baseline: rawDirect,
    },
    {
      // Informational: the direct channel against the same bare calls relayed by the main thread.
      name: 'call.worker2worker.viaMain',
      unit: 'calls/s',
      better: 'higher',
      ours: direct,
      baseline: rawViaMain,
    },
  ];

  return {
    rows,
    teardown: async () => {
      await sup.stop();
      await rawCaller.terminate();
      await rawCallee.terminate();
    },
  };
}
