import { Children } from '../../src/core/children.js';
import { restartPlan } from '../../src/core/strategy.js';
import { parseSupervisorSpec } from '../../src/core/validate.js';

function children(restarts: Record<string, string>, running: string[]): Children {
  const spec = parseSupervisorSpec({ children: Object.entries(restarts).map(([id, restart]) => ({ type: 'worker', id, module: '/w.mjs', restart })) });
  const c = new Children();
  for (const child of spec.children) c.add(child).status = running.includes(child.id) ? 'running' : 'stopped';
  return c;
}

describe('restart plans', () => {
  const all = { a: 'permanent', b: 'permanent', c: 'temporary', d: 'transient' };

  it('one_for_one restarts the child alone and stops nothing', () => {
    expect(restartPlan('one_for_one', children(all, ['a', 'c', 'd']), 'b')).toEqual({ stop: [], start: ['b'] });
  });

  it('one_for_all stops every other running child in reverse order and restarts all but temporary ones', () => {
    expect(restartPlan('one_for_all', children(all, ['a', 'c', 'd']), 'b')).toEqual({ stop: ['d', 'c', 'a'], start: ['a', 'b', 'd'] });
  });

  it('rest_for_one touches only the child and the ones after it', () => {
    expect(restartPlan('rest_for_one', children(all, ['a', 'c', 'd']), 'b')).toEqual({ stop: ['d', 'c'], start: ['b', 'd'] });
  });
});
