// Refs between workers with real threads: names and paths, calls over direct channels, chains, and the
// errors a caller inside a worker gets (the main thread's classes).
import { describe, expect, it } from '@jest/globals';
import { startWorker } from '../../src/index.js';
import { next, peer, peerModule, silent, supervisor, useTrees, type Settled } from './harness.js';

const start = useTrees();

// Node 20 has Atomics.waitAsync; the project's TypeScript lib (es2022) does not declare it yet.
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { value: unknown } }).waitAsync;

const tree = () => start({
  maxRestarts: 10,
  periodMs: 1000,
  children: [
    peer('a'),
    peer('b', { registeredName: 'bank' }),
    supervisor({ id: 'inner', children: [peer('c', { registeredName: 'ledger' })] }),
  ],
});

describe('refs between workers', () => {
  it('calls another worker by registered name and by path, nested supervisors included', async () => {
    const sup = await tree();
    const a = sup.ref('a');
    await expect(a.call('relay', 'bank', 'whoami')).resolves.toEqual({ path: 'b', incarnation: 1 });
    await expect(a.call('relay', 'b', 'whoami')).resolves.toEqual({ path: 'b', incarnation: 1 });
    await expect(a.call('relay', 'ledger', 'whoami')).resolves.toEqual({ path: 'inner/c', incarnation: 1 });
    await expect(a.call('relay', 'inner/c', 'add', [5])).resolves.toBe(5);
    // The main thread resolves names too.
    await expect(sup.ref('ledger').call('get')).resolves.toBe(5);
  });

  it('reaches the new incarnation after a restart, by the same name', async () => {
    const sup = await tree();
    const a = sup.ref('a');
    await expect(a.call('relay', 'bank', 'add', [3])).resolves.toBe(3);
    const restarted = next(sup, 'child:restarted', (e) => e.id === 'b');
    sup.ref('bank').cast('crash');
    await restarted;
    // State is the new incarnation's; the old channel went down with the old one.
    await expect(a.call('relay', 'bank', 'whoami')).resolves.toEqual({ path: 'b', incarnation: 2 });
    await expect(a.call('relay', 'bank', 'add', [1])).resolves.toBe(1);
  });

  it('runs a chain A -> B -> C, each handler waiting on the next', async () => {
    const sup = await tree();
    await expect(sup.ref('a').call('chain', ['bank', 'ledger'])).resolves.toEqual(['a', 'b', 'inner/c']);
  });

  it('rejects a call in flight at once with ActorCrashedError carrying the reason when the callee dies', async () => {
    const sup = await tree();
    // The call would wait 60 s for a reply; the callee's thread crashes 50 ms into it.
    const outcome = (await sup.ref('a').withTimeout(30_000).call('call', 'bank', 'holdThenCrash', [50], 60_000)) as Settled;
    expect(outcome).toMatchObject({
      ok: false,
      error: { name: 'ActorCrashedError', code: 'ERR_ACTOR_CRASHED', delivered: true, reason: { kind: 'error', error: { message: 'crashed while a call was in flight' } } },
    });
  });

  it('waits for a restarting target within the timeout, then reaches the next incarnation', async () => {
    const sup = await start({
      maxRestarts: 10,
      periodMs: 1000,
      children: [peer('a'), peer('b', { registeredName: 'bank', backoff: { initialMs: 300, maxMs: 300, jitter: 0 } })],
    });
    const scheduled = next(sup, 'restart:scheduled');
    sup.ref('bank').cast('crash');
    await scheduled;
    await expect(sup.ref('a').call('relay', 'bank', 'whoami', [], 10_000)).resolves.toEqual({ path: 'b', incarnation: 2 });
  });

  it('fails with ChildUnavailableError when nothing comes back within the timeout, or the target does not exist', async () => {
    const sup = await start({
      maxRestarts: 10,
      periodMs: 1000,
      children: [peer('a'), peer('b', { registeredName: 'bank', backoff: { initialMs: 5000, maxMs: 5000, jitter: 0 } })],
    });
    const scheduled = next(sup, 'restart:scheduled');
    sup.ref('bank').cast('crash');
    await scheduled;
    const waited = (await sup.ref('a').call('call', 'bank', 'whoami', [], 100)) as Settled;
    expect(waited).toMatchObject({ ok: false, error: { name: 'ChildUnavailableError', code: 'ERR_CHILD_UNAVAILABLE', child: 'bank', timeoutMs: 100 } });
    const missing = (await sup.ref('a').call('call', 'nobody', 'whoami')) as Settled;
    expect(missing).toMatchObject({ ok: false, error: { name: 'ChildUnavailableError', child: 'nobody', message: expect.stringContaining("no child 'nobody'") } });
  });

  it('gives each call made while the target restarts its own deadline, whatever the calls queued with it asked', async () => {
    const sup = await start({
      maxRestarts: 10,
      periodMs: 1000,
      children: [peer('a'), peer('b', { registeredName: 'bank', callTimeoutMs: 300, backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } })],
    });
    const scheduled = next(sup, 'restart:scheduled');
    sup.ref('bank').cast('crash');
    await scheduled;
    const a = sup.ref('a').withTimeout(10_000);
    // A short timeout first, then a longer one: the host's wait for the first must not end the second.
    await a.call('startCalls', 'bank', 'whoami', [100, 1500]);
    expect(await a.call('outcome', 0)).toMatchObject({ ok: false, error: { name: 'ChildUnavailableError', child: 'bank', timeoutMs: 100 } });
    expect(await a.call('outcome', 1)).toMatchObject({ ok: false, error: { name: 'ChildUnavailableError', child: 'bank', timeoutMs: 1500, message: expect.stringContaining('1500 ms') } });
    // No timeout first (it waits on), then a call with none of its own: the callee's callTimeoutMs bounds it.
    await a.call('startCalls', 'bank', 'whoami', [Infinity, null]);
    expect(await a.call('outcome', 1)).toMatchObject({ ok: false, error: { name: 'ChildUnavailableError', child: 'bank', timeoutMs: 300 } });
  });

  it('refuses a self-call and a cycle A -> B -> A at once with CallCycleError naming the cycle', async () => {
    const sup = await tree();
    const self = (await sup.ref('a').call('call', 'a', 'whoami')) as Settled;
    expect(self).toMatchObject({ ok: false, error: { name: 'CallCycleError', code: 'ERR_CALL_CYCLE', cycle: ['a', 'a'] } });
    // a asks b to call a back: b's call would wait on a, whose handler waits on b. b answers with the error as a value.
    const cycle = (await sup.ref('a').call('relay', 'bank', 'call', ['a', 'whoami'])) as Settled;
    expect(cycle).toMatchObject({ ok: false, error: { name: 'CallCycleError', cycle: ['a', 'b', 'a'], message: expect.stringContaining('a -> b -> a') } });
    // Longer: a -> b -> c -> a.
    const longer = (await sup.ref('a').call('relay', 'bank', 'relay', ['ledger', 'call', ['a', 'whoami']])) as Settled;
    expect(longer).toMatchObject({ ok: false, error: { name: 'CallCycleError', cycle: ['a', 'b', 'inner/c', 'a'] } });
    // A handler that lets the error escape crashes, as any bug does: its caller sees the cycle as the cause.
    const crashed = (await sup.ref('a').call('call', 'bank', 'relay', ['a', 'whoami'])) as Settled;
    expect(crashed).toMatchObject({ ok: false, error: { name: 'ActorCrashedError', message: expect.stringContaining('CallCycleError') } });
    // Nothing deadlocked: every actor still answers (b restarted after its crash).
    await expect(sup.ref('a').call('relay', 'bank', 'whoami')).resolves.toEqual({ path: 'b', incarnation: 2 });
  });

  it('lets a handler call back an actor whose handler fired a call and returned (nothing waits: no cycle)', async () => {
    const sup = await tree();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    // b's handler fires a call to a and returns at once; a's handler then calls b, whose mailbox is free.
    await expect(sup.ref('bank').call('kick', 'a', 'call', ['bank', 'whoami'], flag)).resolves.toBe('kicked');
    await waitAsync(flag, 0, 0).value;
    expect(await sup.ref('bank').call('kicked')).toEqual({ ok: true, value: { ok: true, value: { path: 'b', incarnation: 1 } } });
  });

  it('gives the caller the main thread\'s errors: unknown methods, uncloneable arguments, timeouts', async () => {
    const sup = await tree();
    const a = sup.ref('a');
    expect(await a.call('call', 'bank', 'nope')).toMatchObject({ ok: false, error: { name: 'UnknownMethodError', code: 'ERR_UNKNOWN_METHOD' } });
    expect(await a.call('callUncloneable', 'bank', 'echo')).toMatchObject({ ok: false, error: { name: 'DataCloneError', code: 'ERR_DATA_CLONE' } });
    expect(await a.call('call', 'bank', 'slow', [300, 'late'], 50)).toMatchObject({ ok: false, error: { name: 'CallTimeoutError', code: 'ERR_CALL_TIMEOUT', timeoutMs: 50 } });
    expect(await a.call('call', 'bank', 'fail', ['boom'])).toMatchObject({ ok: false, error: { name: 'ActorCrashedError', reason: { kind: 'error', error: { message: 'boom' } } } });
    expect(await a.call('cast', 'bank', 'nope')).toMatchObject({ ok: true });
  });

  it('delivers casts in order with calls over the same channel', async () => {
    const sup = await tree();
    const a = sup.ref('a');
    expect(await a.call('cast', 'bank', 'add', [2])).toEqual({ ok: true });
    expect(await a.call('cast', 'bank', 'add', [3])).toEqual({ ok: true });
    await expect(a.call('relay', 'bank', 'get')).resolves.toBe(5);
  });

  it('rejects a call in flight with ActorStoppedError when the callee is stopped, however the stop ends', async () => {
    const sup = await start({ children: [peer('a'), peer('b', { registeredName: 'bank', shutdown: 100 })] });
    const arrived = new Int32Array(new SharedArrayBuffer(4));
    const inFlight = sup.ref('a').call('call', 'bank', 'holdSignalled', [arrived], 60_000) as Promise<Settled>;
    // b's handler sets the flag when the call reaches it: from then on the call is in flight at b.
    await waitAsync(arrived, 0, 0).value;
    await sup.terminateChild('b');
    // b's handler held its mailbox, so the stop ran out its 100 ms shutdown and the thread was killed.
    expect(await inFlight).toMatchObject({ ok: false, error: { name: 'ActorStoppedError', code: 'ERR_ACTOR_STOPPED', reason: { kind: 'killed' } } });
  });

  it('calls from init, to a sibling started before, also under a supervisor still starting its children', async () => {
    const sup = await start({
      children: [
        peer('b', { registeredName: 'bank', args: { start: 7 } }),
        peer('a', { args: { initCall: ['bank', 'get'] } }),
        supervisor({ id: 'books', children: [peer('j', { registeredName: 'journal' }), peer('k', { args: { initCall: ['journal', 'whoami'] } })] }),
      ],
    });
    await expect(sup.ref('a').call('initReply')).resolves.toBe(7);
    await expect(sup.ref('books/k').call('initReply')).resolves.toEqual({ path: 'books/j', incarnation: 1 });
  });

  it('throws NoTreeError in a worker started by startWorker', async () => {
    const lone = await startWorker({ module: peerModule, logger: silent });
    try {
      expect(await lone.call('refError', 'bank')).toMatchObject({ ok: false, error: { name: 'NoTreeError', code: 'ERR_NO_TREE' } });
    } finally {
      await lone.stop();
    }
  });
});
