/**
 * The addresses faults aim at: a worker's path is the ids from the root down, joined by `/`. Pure, so
 * the simulator can check a schedule against its tree without fast-check.
 */
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import type { ChildPath } from './types.js';

/**
 * The paths of every worker in a tree, in start order (`'w0'`, `'s1/w0'`, ...): the targets of faults.
 *
 * @example
 * workerPaths({ children: [worker({ id: 'db', module }), supervisor({ id: 'jobs', children: [worker({ id: 'q', module })] })] });
 * // ['db', 'jobs/q']
 */
export function workerPaths(tree: Pick<SupervisorSpec, 'children'>, prefix = ''): ChildPath[] {
  return tree.children.flatMap((c) => {
    const path = prefix === '' ? c.id : `${prefix}/${c.id}`;
    if (c.type === 'worker') return [path];
    // A dynamic supervisor starts empty: its workers come at run time, so none is a fault target yet.
    return c.type === 'supervisor' ? workerPaths(c, path) : [];
  });
}

/** The paths of every supervisor below the root, in start order (`'jobs'`, `'jobs/deep'`): not fault targets. */
export function supervisorPaths(tree: Pick<SupervisorSpec, 'children'>, prefix = ''): ChildPath[] {
  return tree.children.flatMap((c) => {
    if (c.type === 'worker') return [];
    const path = prefix === '' ? c.id : `${prefix}/${c.id}`;
    return c.type === 'supervisor' ? [path, ...supervisorPaths(c, path)] : [path];
  });
}
