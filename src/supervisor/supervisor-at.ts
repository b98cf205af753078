/** Finds the running supervisor a path names, for management by path; every way it can fail is a typed error. */
import { ChildKindError, ChildNotFoundError, ChildUnavailableError, SupervisorStoppedError } from '../errors.js';
import type { SupervisorProcess } from './supervisor.js';

/** Which kind of supervisor a handle manages. */
export type SupervisorKind = 'supervisor' | 'dynamic supervisor';

/**
 * Walks `path` (`'jobs'`, `'jobs/sessions'`) from `root` to the running supervisor it names now.
 *
 * @throws ChildNotFoundError (`ERR_NOT_FOUND`) when a step of the path names no child.
 * @throws ChildKindError (`ERR_CHILD_KIND`) when a step names a worker, or the end is not a `want`.
 * @throws ChildUnavailableError (`ERR_CHILD_UNAVAILABLE`) when a supervisor on the path is not running now (restarting, stopped).
 * @throws SupervisorStoppedError (`ERR_SUPERVISOR_STOPPED`) when a supervisor on the path has exited.
 */
export function supervisorAt(root: SupervisorProcess, path: string, want: SupervisorKind): SupervisorProcess {
  const parts = path.split('/');
  let sup = root;
  for (const [i, part] of parts.entries()) {
    const here = parts.slice(0, i + 1).join('/');
    const { query } = sup;
    if (query.exitReason !== null) throw new SupervisorStoppedError(sup.name, query.exitReason);
    const child = query.child(part);
    if (child === undefined) throw new ChildNotFoundError(part, { supervisor: sup.name });
    if (child.spec.type !== 'supervisor') throw new ChildKindError(here, i === parts.length - 1 ? `a ${want}` : 'a supervisor', 'a worker');
    const nested = query.live(part)?.supervisor;
    if (nested === undefined) throw new ChildUnavailableError(here, `it is ${child.status}`);
    sup = nested;
  }
  const kind: SupervisorKind = sup.dynamic === null ? 'supervisor' : 'dynamic supervisor';
  if (kind !== want) throw new ChildKindError(path, `a ${want}`, `a ${kind}`);
  return sup;
}
