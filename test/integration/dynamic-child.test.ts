import { dynamicSupervisor, supervisor, worker } from '../../src/index.js';
import { fixture, next, useTrees } from './supervisor-harness.js';
import { threadsAlive } from './worker-harness.js';

const counter = fixture('counter.mjs');
const start = useTrees();

describe('a dynamic supervisor under a static one, over real worker threads', () => {
  it('starts children by path, calls them by path, replaces a crashed one with a fresh thread, and stops them all', async () => {
    const sup = await start({
      children: [
        worker({ id: 'a', module: counter, args: { start: 1 } }),
        dynamicSupervisor({ id: 'sessions', maxChildren: 10, template: { module: counter, args: { start: 1 } } }),
      ],
    });
    const sessions = sup.dynamicSupervisor('sessions');
    const one = (await sessions.startChild({ start: 5 }))!;
    const two = (await sessions.startChild())!;
    expect(await sup.ref(`sessions/${one}`).call('add', 1)).toBe(6);
    expect(await sessions.ref(two).call('get')).toBe(1);
    const before = sessions.whichChildren().map((c) => c.threadId);
    expect(before.every((t) => typeof t === 'number')).toBe(true);
    const restarted = next(sup, 'child:restarted', (e) => e.supervisor === 'root/sessions' && e.id === one);
    sup.ref(`sessions/${one}`).cast('crash', 'boom');
    await restarted;
    expect(await sup.ref(`sessions/${one}`).call('get')).toBe(5); // a fresh incarnation, from its own args
    const after = sessions.whichChildren().map((c) => c.threadId);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(await sup.stop()).toEqual({ kind: 'shutdown' });
    expect(await threadsAlive()).toBe(0);
  });

  it('escalates a crash-looping dynamic supervisor to its parent, which restarts it empty without touching its siblings', async () => {
    const sup = await start({
      children: [
        worker({ id: 'a', module: counter }),
        supervisor({ id: 'app', children: [dynamicSupervisor({ id: 'sessions', maxRestarts: 0, template: { module: counter } })] }),
      ],
    });
    const sessions = sup.dynamicSupervisor('app/sessions');
    await sessions.startChild();
    await sessions.startChild();
    const siblingThread = sup.whichChildren()[0]!.threadId;
    const escalated = next(sup, 'escalated');
    const back = next(sup, 'child:restarted', (e) => e.supervisor === 'root/app' && e.id === 'sessions');
    sup.ref('app/sessions/child-1').cast('crash', 'boom');
    expect(await escalated).toMatchObject({ supervisor: 'root/app/sessions', root: false, reason: { kind: 'max_intensity' } });
    await back;
    expect(sessions.whichChildren()).toEqual([]);
    expect(sup.whichChildren()[0]!.threadId).toBe(siblingThread);
    expect(await sessions.startChild()).toBe('child-3');
  });
});
