// The actor context: init(args, ctx) gets one frozen object that the actor keeps for its whole life, and
// terminate gets the same one. ctx.self says who the actor is: its path in its tree and its incarnation.
import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from '@jest/globals';
import { InvalidSpecError, ThreadHost } from '../../src/index.js';
import { deferred, fixture, threadsAlive, useWorkers } from './worker-harness.js';

const start = useWorkers();
const context = fixture('context.mjs');
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

describe('a standalone worker', () => {
  it('knows itself by its name, in its first incarnation', async () => {
    const ref = await start({ module: context, name: 'billing' });
    await expect(ref.call('self')).resolves.toEqual({ path: 'billing', incarnation: 1 });
  });

  it('without a name gets a generated path naming its module, distinct per worker', async () => {
    const first = await start({ module: context });
    const second = await start({ module: context });
    const a = (await first.call('self')) as { path: string; incarnation: number };
    const b = (await second.call('self')) as { path: string; incarnation: number };
    expect(a.path).toMatch(/^context\.mjs#\d+$/);
    expect(b.path).toMatch(/^context\.mjs#\d+$/);
    expect(a.path).not.toBe(b.path);
    expect(a.incarnation).toBe(1);
  });

  it('cannot rewrite its identity: the context and ctx.self are frozen', async () => {
    const ref = await start({ module: context, name: 'frozen' });
    await expect(ref.call('frozen')).resolves.toEqual({ ctx: true, self: true, rewritten: false, path: 'frozen' });
  });

  it('gets in terminate the very context init got', async () => {
    const name = `context-${Math.random()}`;
    const channel = new BroadcastChannel(name);
    channels.push(channel);
    const reported = deferred<unknown>();
    channel.onmessage = (event) => reported.resolve((event as MessageEvent).data);
    const ref = await start({ module: context, name: 'terminating', args: { channel: name } });
    await ref.stop();
    await expect(reported.promise).resolves.toEqual({ same: true, self: { path: 'terminating', incarnation: 1 }, reason: 'shutdown' });
  });

  it('is started by a host with the identity it is given, checked before any thread is spawned', async () => {
    const host = new ThreadHost();
    const outcome = await host.start({ module: context, self: { path: 'pool/7', incarnation: 3 } });
    if (outcome.status !== 'started') throw new Error('expected a started actor');
    await expect(outcome.actor.call('self', [])).resolves.toEqual({ path: 'pool/7', incarnation: 3 });
    await outcome.actor.stop();
    const error = await host.start({ module: context, self: { path: '', incarnation: 0 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues.map((i) => i.path)).toEqual(['self.path', 'self.incarnation']);
    expect(await threadsAlive()).toBe(0);
  });
});
