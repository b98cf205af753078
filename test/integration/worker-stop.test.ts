// Stopping a worker: a cooperative terminate, one that ignores the request, brutal_kill, stopping
// itself from a handler, and what happens to calls around a stop.
import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ActorStoppedError, InvalidSpecError } from '../../src/index.js';
import type { ExitReason } from '../../src/index.js';
import { deferred, fixture, useWorkers } from './worker-harness.js';

const start = useWorkers();
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

/** A counter whose terminate reports on a BroadcastChannel; resolves `terminated` with what it was told. */
async function reporting(terminateMode: 'cooperative' | 'hang' | 'block' | 'throw' = 'cooperative', extra: object = {}) {
  const name = `terminate-${Math.random()}`;
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  const terminated = deferred<{ reason: ExitReason; n: number }>();
  channel.onmessage = (event) => terminated.resolve((event as MessageEvent).data as { reason: ExitReason; n: number });
  const ref = await start({ module: fixture('counter.mjs'), args: { start: 3, channel: name, terminateMode }, ...extra });
  return { ref, terminated: terminated.promise };
}

describe('an orderly stop', () => {
  it('runs terminate with the state and resolves with shutdown', async () => {
    const { ref, terminated } = await reporting();
    await expect(ref.stop()).resolves.toEqual({ kind: 'shutdown' });
    await expect(terminated).resolves.toMatchObject({ reason: { kind: 'shutdown' }, n: 3 });
    await expect(ref.exited).resolves.toEqual({ kind: 'shutdown' });
    expect(ref.alive).toBe(false);
  });

  it('passes the reason given to terminate and resolves with it', async () => {
    const { ref, terminated } = await reporting();
    const reason: ExitReason = { kind: 'shutdown', detail: { why: 'deploy' } };
    await expect(ref.stop(reason)).resolves.toEqual(reason);
    await expect(terminated).resolves.toMatchObject({ reason });
  });

  it('waits for terminate with shutdown infinity', async () => {
    const { ref, terminated } = await reporting();
    await expect(ref.stop(undefined, { shutdown: 'infinity' })).resolves.toEqual({ kind: 'shutdown' });
    await expect(terminated).resolves.toMatchObject({ n: 3 });
  });

  it('answers calls sent before the stop, and refuses calls made after it', async () => {
    const { ref } = await reporting();
    const before = ref.call('slowAdd', 1, 30);
    const stopping = ref.stop();
    await expect(ref.call('get')).rejects.toBeInstanceOf(ActorStoppedError);
    expect(() => ref.cast('reset')).toThrow(ActorStoppedError);
    await expect(before).resolves.toBe(4);
    await expect(stopping).resolves.toEqual({ kind: 'shutdown' });
  });

  it('says a call or cast made once stop() was asked for was not delivered, while stopping and after', async () => {
    const { ref } = await reporting();
    const inFlight = ref.call('forever').catch((e: unknown) => e);
    const stopping = ref.stop(undefined, { shutdown: 200 });
    const refused = (await ref.call('get').catch((e: unknown) => e)) as ActorStoppedError;
    expect(refused).toBeInstanceOf(ActorStoppedError);
    expect(refused.message).toBe("call 'get' was not delivered: the actor is stopping, reason: shutdown");
    expect(refused.delivered).toBe(false);
    expect(() => ref.cast('reset')).toThrow("cast 'reset' was not delivered: the actor is stopping, reason: shutdown");
    await stopping;
    // The call in flight was delivered; it failed because the actor stopped before answering it.
    const failed = (await inFlight) as ActorStoppedError;
    expect(failed.message).toBe("actor stopped before answering 'forever': killed (after 200 ms)");
    expect(failed.delivered).toBe(true);
    await expect(ref.call('get')).rejects.toThrow("call 'get' was not delivered: the actor has stopped, reason: killed (after 200 ms)");
    expect(() => ref.cast('reset')).toThrow("cast 'reset' was not delivered: the actor has stopped, reason: killed (after 200 ms)");
  });

  it('returns the same promise when stopped twice', async () => {
    const { ref } = await reporting();
    const first = ref.stop();
    const second = ref.stop({ kind: 'normal' }, { shutdown: 100 });
    expect(second).toBe(first);
    await expect(first).resolves.toEqual({ kind: 'shutdown' });
    await expect(ref.stop()).resolves.toEqual({ kind: 'shutdown' });
  });

  it('lets a later brutal_kill cut short a stop whose terminate never returns', async () => {
    const { ref } = await reporting('hang');
    const first = ref.stop(undefined, { shutdown: 'infinity' });
    const second = ref.stop(undefined, { shutdown: 'brutal_kill' });
    expect(second).toBe(first);
    await expect(first).resolves.toEqual({ kind: 'killed' });
  });

  it('reports an error exit when terminate throws', async () => {
    const { ref } = await reporting('throw');
    const reason = await ref.stop();
    expect(reason).toMatchObject({ kind: 'error', error: { message: 'terminate failed on purpose' } });
  });

  it('refuses an invalid shutdown option and leaves the actor running', async () => {
    const { ref } = await reporting();
    await expect(ref.stop(undefined, { shutdown: -5 })).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(ref.call('get')).resolves.toBe(3);
  });
});

describe('a stop the worker does not honour', () => {
  it('kills the thread after the shutdown timeout when terminate never returns', async () => {
    const { ref, terminated } = await reporting('hang');
    await expect(ref.stop(undefined, { shutdown: 200 })).resolves.toEqual({ kind: 'killed', afterMs: 200 });
    await expect(terminated).resolves.toMatchObject({ reason: { kind: 'shutdown' } });
  });

  it('kills a thread whose event loop is blocked, with heartbeats off, after the shutdown timeout', async () => {
    const { ref } = await reporting('cooperative', { heartbeatMs: false });
    ref.cast('hang');
    await expect(ref.stop(undefined, { shutdown: 200 })).resolves.toEqual({ kind: 'killed', afterMs: 200 });
  });

  it('does not take a terminate that blocks within the shutdown timeout for a hang', async () => {
    const { ref, terminated } = await reporting('block', { heartbeatMs: 50 });
    await expect(ref.stop(undefined, { shutdown: 400 })).resolves.toEqual({ kind: 'killed', afterMs: 400 });
    await terminated;
  });

  it('rejects calls in flight with ActorStoppedError when the stop ends in a kill', async () => {
    const { ref } = await reporting('hang');
    const stuck = ref.call('forever').catch((e: unknown) => e);
    await ref.stop(undefined, { shutdown: 100 });
    const error = await stuck;
    expect(error).toBeInstanceOf(ActorStoppedError);
    expect((error as ActorStoppedError).reason).toEqual({ kind: 'killed', afterMs: 100 });
  });
});

describe('brutal_kill', () => {
  it('terminates the thread at once without running terminate', async () => {
    const { ref } = await reporting();
    const stuck = ref.call('forever').catch((e: unknown) => e);
    await expect(ref.stop(undefined, { shutdown: 'brutal_kill' })).resolves.toEqual({ kind: 'killed' });
    expect(await stuck).toBeInstanceOf(ActorStoppedError);
  });
});

describe('a worker stopping itself', () => {
  it('replies to the call, runs terminate and exits normal', async () => {
    const { ref, terminated } = await reporting();
    await expect(ref.call('quit')).resolves.toBe(3);
    await expect(ref.exited).resolves.toEqual({ kind: 'normal' });
    await expect(terminated).resolves.toMatchObject({ reason: { kind: 'normal' }, n: 3 });
  });

  it('exits with {shutdown, detail} and rejects the calls queued behind it', async () => {
    const { ref } = await reporting();
    const reply = ref.call('retire', 'drained');
    const behind = ref.call('get').catch((e: unknown) => e);
    await expect(reply).resolves.toBe('bye');
    await expect(ref.exited).resolves.toEqual({ kind: 'shutdown', detail: 'drained' });
    expect(await behind).toBeInstanceOf(ActorStoppedError);
  });

  it('stops from a cast', async () => {
    const { ref } = await reporting();
    ref.cast('quitCast');
    await expect(ref.exited).resolves.toEqual({ kind: 'shutdown' });
  });
});
