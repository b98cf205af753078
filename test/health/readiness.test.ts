import { readiness } from '../../src/health/readiness.js';
import type { SupervisorTree, TreeNode } from '../../src/supervisor/introspection.js';

const node = (id: string, status: TreeNode['status'], extra: Partial<TreeNode> = {}): TreeNode => ({ id, type: 'worker', status, restart: 'permanent', restartCount: 0, ...extra });
const tree = (children: TreeNode[], phase: SupervisorTree['phase'] = 'running'): SupervisorTree => ({ name: 'root', strategy: 'one_for_one', phase, children });

describe('readiness', () => {
  it('is ready when every permanent child of every running supervisor runs, and lists what does not', () => {
    const jobs = node('jobs', 'running', { type: 'supervisor', children: [node('q', 'restarting'), node('t', 'stopped', { restart: 'temporary' })] });
    expect(readiness(tree([node('db', 'running'), jobs]))).toEqual({ ready: false, phase: 'running', judged: 'permanent', notReady: [{ path: 'jobs/q', status: 'restarting' }] });
    expect(readiness(tree([node('db', 'running'), node('tmp', 'stopped', { restart: 'transient' })])).ready).toBe(true);
  });

  it('judges only the significant children when some are marked', () => {
    const t = tree([node('api', 'running', { significant: true }), node('cache', 'restarting')]);
    expect(readiness(t)).toMatchObject({ ready: true, judged: 'significant' });
  });

  it('judges the critical children given, and names a missing one', () => {
    const t = tree([node('db', 'running'), node('cache', 'restarting')]);
    expect(readiness(t, ['db'])).toMatchObject({ ready: true, judged: 'critical' });
    expect(readiness(t, ['db', 'jobs/q'])).toMatchObject({ ready: false, notReady: [{ path: 'jobs/q', status: 'missing' }] });
  });

  it('is never ready while the root is not running, and lists at most 20 children', () => {
    expect(readiness(tree([], 'stopping'))).toMatchObject({ ready: false, phase: 'stopping', notReady: [] });
    const many = Array.from({ length: 50 }, (_, i) => node(`w${i}`, 'restarting'));
    expect(readiness(tree(many)).notReady).toHaveLength(20);
  });
});
