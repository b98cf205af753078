// `threadvisor tree`'s screen, rendered from real `sup.tree()` snapshots (a tree on the simulated host
// under a virtual clock, so uptimes and due times are exact), sent through JSON as the health server
// serves them.
import { describe, expect, it } from '@jest/globals';
import { renderTree, duration } from '../../src/cli/render-tree.js';
import type { SupervisorTree } from '../../src/index.js';
import { setup, started, stopAll, w } from '../supervisor/harness.js';

const NOW = Date.UTC(2026, 10, 30, 13, 40, 2);
// Any ANSI escape: the plain screen has none.
const ANSI = /\x1b\[/;

async function snapshotOfARestartingTree() {
  const env = setup();
  const sup = await started(
    {
      strategy: 'one_for_one',
      children: [
        w('a'),
        { type: 'supervisor', id: 'jobs', strategy: 'rest_for_one', backoff: { initialMs: 400, maxMs: 400, factor: 1 }, children: [w('b'), w('c')] },
      ],
    },
    env,
  );
  await env.clock.advance(65_000);
  env.host.current('sim:c')!.crash();
  await env.clock.advance(100);
  const tree = JSON.parse(JSON.stringify(sup.tree())) as SupervisorTree;
  return { env, sup, tree };
}

describe('renderTree', () => {
  it('draws each child with its status, restarts, uptime or restart due, and its strategy, aligned', async () => {
    const { env, sup, tree } = await snapshotOfARestartingTree();
    expect(renderTree(tree, { color: false, now: NOW })).toBe(
      [
        'root  one_for_one  running  13:40:02Z',
        '├─ a     worker      running     restarts 0  up 1m05s          thread 10000',
        '└─ jobs  supervisor  running     restarts 0  up 1m05s          rest_for_one',
        '   ├─ b  worker      running     restarts 0  up 1m05s          thread 10001',
        '   └─ c  worker      restarting  restarts 0  restart in 300ms  last exit: error: Error: simulated crash',
        '',
      ].join('\n'),
    );
    await stopAll(sup, env);
  });

  it('colours statuses and restarts only when asked', async () => {
    const { env, sup, tree } = await snapshotOfARestartingTree();
    const coloured = renderTree(tree, { color: true, now: NOW });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderTree(tree, { color: false, now: NOW }));
    await stopAll(sup, env);
  });

  it('shows threads, restart counts and the last exit of a stopped child; says when there are no children', () => {
    const tree: SupervisorTree = {
      name: 'api',
      strategy: 'one_for_all',
      phase: 'stopping',
      children: [
        { id: 'http', type: 'worker', status: 'running', restart: 'permanent', restartCount: 12, threadId: 7, uptimeMs: 3 * 3600_000 + 4 * 60_000 },
        { id: 'job', type: 'worker', status: 'stopped', restart: 'transient', restartCount: 1, lastExit: { kind: 'normal' } },
      ],
    };
    expect(renderTree(tree, { color: false, now: NOW })).toBe(
      'api  one_for_all  stopping  13:40:02Z\n' +
      '├─ http  worker  running  restarts 12  up 3h04m  thread 7\n' +
      '└─ job   worker  stopped  restarts 1   -         last exit: normal\n',
    );
    expect(renderTree({ name: 'root', strategy: 'one_for_one', phase: 'exited', children: [] }, { color: false, now: NOW })).toBe(
      'root  one_for_one  exited  13:40:02Z\n(no children)\n',
    );
  });

  it('shows a pool child with its threads by state, its queue and its dead letters', () => {
    const tree: SupervisorTree = {
      name: 'root',
      strategy: 'one_for_one',
      phase: 'running',
      children: [{
        id: 'resizers', type: 'worker', status: 'running', restart: 'permanent', restartCount: 0, uptimeMs: 5000,
        pool: { threads: [{ threadId: 3, state: 'busy', jobs: 2 }, { threadId: 4, state: 'idle', jobs: 0 }, { threadId: 5, state: 'spare', jobs: 0 }], queued: 7, running: 2, deadLetters: 1 },
      }],
    };
    expect(renderTree(tree, { color: false, now: NOW })).toBe(
      'root  one_for_one  running  13:40:02Z\n' +
      '└─ resizers  worker  running  restarts 0  up 5.0s  pool 1 busy 1 idle +spare  queued 7  dead letters 1\n',
    );
  });

  it('writes durations short', () => {
    expect([0, 999, 1000, 12_345, 59_999, 60_000, 65_000, 3_599_999, 3_600_000, 86_400_000 + 3_600_000].map(duration)).toEqual([
      '0ms', '999ms', '1.0s', '12.3s', '59.9s', '1m00s', '1m05s', '59m59s', '1h00m', '1d01h',
    ]);
  });
});
