// ctx.self under a supervisor: the child's path in its tree, and an incarnation counted per start of
// that path for the tree's whole life (a restarted parent does not start the count again).
import { describe, expect, it } from '@jest/globals';
import { supervisor, worker } from '../../src/index.js';
import { fixture, next, useTrees } from './supervisor-harness.js';

const startTree = useTrees();
const context = fixture('context.mjs');

describe('a supervised worker', () => {
  it('knows its path in the tree, and counts one incarnation per start across restarts', async () => {
    const sup = await startTree({
      strategy: 'one_for_one',
      children: [supervisor({ id: 'jobs', strategy: 'one_for_one', children: [worker({ id: 'queue', module: context })] })],
    });
    const queue = sup.ref('jobs/queue');
    await expect(queue.call('self')).resolves.toEqual({ path: 'jobs/queue', incarnation: 1 });
    const restarted = next(sup, 'child:restarted', (e) => e.id === 'queue');
    await queue.call('crash').catch(() => undefined);
    await restarted;
    await expect(queue.call('self')).resolves.toEqual({ path: 'jobs/queue', incarnation: 2 });
  });

  it('never reuses an incarnation when its parent supervisor is restarted', async () => {
    const sup = await startTree({
      strategy: 'one_for_one',
      children: [supervisor({ id: 'jobs', strategy: 'one_for_one', children: [worker({ id: 'queue', module: context })] })],
    });
    await sup.terminateChild('jobs');
    await sup.restartChild('jobs');
    await expect(sup.ref('jobs/queue').call('self')).resolves.toEqual({ path: 'jobs/queue', incarnation: 2 });
  });
});
