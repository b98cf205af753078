/**
 * The arguments of a handle's methods that name children (`ref(path)`, `supervisor(path)`,
 * `terminateChild(id)`...), checked before anything is looked up. A value that could never name a child
 * (not a string, empty, an empty step as in `'jobs//w1'`) is a caller's bug, not a state of the tree:
 * it gets `InvalidSpecError`, the same error a bad id in a spec gets, whichever method it was handed to.
 */
import { idSchema } from '../core/child-spec.js';
import { InvalidSpecError } from '../errors.js';
import { render } from '../options/render.js';

/**
 * Throws `InvalidSpecError` (`ERR_INVALID_SPEC`, issue at `at`) unless `path` is a child id or child ids
 * joined by `/` (`'counter'`, `'jobs/w1'`).
 */
export function assertChildPath(path: unknown, at = 'path'): asserts path is string {
  if (typeof path === 'string' && path.split('/').every((part) => idSchema.safeParse(part).success)) return;
  throw new InvalidSpecError('child path', [{ path: at, message: `expected a child id, or child ids joined by '/' such as 'jobs/w1'; given ${render(path)}` }]);
}

/** `InvalidSpecError` (`ERR_INVALID_SPEC`, issue at `id`) unless `id` is a child id, else `null`. */
export function childIdError(id: unknown): InvalidSpecError | null {
  if (idSchema.safeParse(id).success) return null;
  return new InvalidSpecError('child id', [{ path: 'id', message: `expected a child id (a non-empty string without '/'); given ${render(id)}` }]);
}
