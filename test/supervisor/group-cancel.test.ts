// Issue 8, fault 8.8, through the shell on the simulated host: terminateChild on a child that waits for its
// restart cancels the restart of its whole group, so the rest of the group never starts without it.
import { settle } from '../../src/testing/virtual-clock.js';
import type { Strategy } from '../../src/core/supervisor-flags.js';
import { setup, started, stopAll, w } from './harness.js';

const brutal = { shutdown: 'brutal_kill' };
const spec = (strategy: Strategy) => ({ strategy, backoff: { initialMs: 1000, maxMs: 1000 }, children: [w('a', brutal), w('b', brutal), w('c', brutal)] });

describe('terminateChild cancels the pending restart of the whole group (simulated host)', () => {
  it.each([
    ['rest_for_one', ['a:running', 'b:stopped', 'c:stopped'], ['b', 'c']],
    ['one_for_all', ['a:stopped', 'b:stopped', 'c:stopped'], ['a', 'b', 'c']],
  ] as const)('%s: crash b, terminate it 200 ms later, and 1500 ms later the rest of its group is still stopped', async (strategy, after, group) => {
    const env = setup();
    const sup = await started(spec(strategy), env);
    const seen: string[] = [];
    sup.on('restart:scheduled', (e) => seen.push(`scheduled ${e.children.join(',')}`));
    sup.on('child:started', (e) => seen.push(`started ${e.id}`));
    env.host.current('sim:b')!.crash();
    await env.clock.advance(200);
    expect(sup.whichChildren().map((c) => c.status)).toEqual(group.length === 3 ? ['restarting', 'restarting', 'restarting'] : ['running', 'restarting', 'restarting']);
    await env.drive(sup.terminateChild('b'));
    expect(sup.whichChildren().map((c) => `${c.id}:${c.status}`)).toEqual(after);
    expect(env.clock.pendingTimers).toBe(0);
    await env.clock.advance(1500);
    expect(sup.whichChildren().map((c) => `${c.id}:${c.status}`)).toEqual(after);
    expect(seen).toEqual([`scheduled ${group.join(',')}`]);
    expect(env.host.incarnations('sim:c')).toHaveLength(1);
    // The members keep their specs: restartChild starts each one, alone.
    await env.drive(sup.restartChild('c'));
    expect(sup.whichChildren().find((c) => c.id === 'c')!.status).toBe('running');
    expect(sup.whichChildren().find((c) => c.id === 'b')!.status).toBe('stopped');
    await stopAll(sup, env);
  });

  it('rest_for_one: cancels a group waiting to retry a failed start', async () => {
    const env = setup();
    const sup = await started(spec('rest_for_one'), env);
    const seen: string[] = [];
    sup.on('restart:scheduled', (e) => seen.push(`scheduled ${e.trigger} ${e.children.join(',')} ${e.delayMs}`));
    sup.on('child:start_failed', (e) => seen.push(`start_failed ${e.id}`));
    sup.on('child:started', (e) => seen.push(`started ${e.id}`));
    env.host.failNextStarts('sim:b', 1);
    env.host.current('sim:b')!.crash();
    await settle();
    await env.clock.advance(1000); // b's backoff is over: its start fails, and [b, c] waits to retry
    expect(seen).toEqual(['scheduled b b,c 1000', 'start_failed b', 'scheduled b b,c 1000']);
    await env.clock.advance(200);
    expect(sup.whichChildren().map((c) => c.status)).toEqual(['running', 'restarting', 'restarting']);
    await env.drive(sup.terminateChild('b'));
    await env.clock.advance(1500);
    expect(sup.whichChildren().map((c) => `${c.id}:${c.status}`)).toEqual(['a:running', 'b:stopped', 'c:stopped']);
    expect(seen.filter((l) => l.startsWith('started'))).toEqual([]);
    expect(env.clock.pendingTimers).toBe(0);
    await stopAll(sup, env);
  });

  it('one_for_all: cancels a group waiting to retry a failed start', async () => {
    const env = setup();
    const sup = await started(spec('one_for_all'), env);
    const started_: string[] = [];
    env.host.failNextStarts('sim:b', 1);
    env.host.current('sim:b')!.crash();
    await settle();
    await env.clock.advance(1000); // a starts, b fails: a is stopped again and [a, b, c] waits to retry
    sup.on('child:started', (e) => started_.push(e.id));
    await env.clock.advance(200);
    expect(sup.whichChildren().map((c) => c.status)).toEqual(['restarting', 'restarting', 'restarting']);
    await env.drive(sup.terminateChild('b'));
    await env.clock.advance(1500);
    expect(sup.whichChildren().map((c) => c.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(started_).toEqual([]);
    await stopAll(sup, env);
  });
});
