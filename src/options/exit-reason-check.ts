/**
 * An exit reason handed in by a user (`stop(reason)`), checked like any other input: the protocol says
 * what is wrong ({@link exitReasonProblem}), this adds what was given with the one renderer.
 */
import { exitReasonProblem } from '../protocol/exit-reason.js';
import { InvalidSpecError } from '../errors.js';
import { render } from './render.js';

/**
 * The {@link InvalidSpecError} (`ERR_INVALID_SPEC`) for a value that is not an exit reason, at `path`
 * (`reason`, `reason.code`), or `null` when it is one.
 *
 * @example
 * exitReasonError(null)?.message
 * // invalid exit reason:
 * //   - reason: expected an exit reason such as { kind: 'shutdown' } ...; given null
 */
export function exitReasonError(value: unknown, path = 'reason'): InvalidSpecError | null {
  const problem = exitReasonProblem(value);
  if (problem === null) return null;
  const at = problem.path === '' ? path : `${path}.${problem.path}`;
  let given: unknown = value;
  try {
    for (const key of problem.path === '' ? [] : problem.path.split('.')) given = (given as Record<string, unknown>)[key];
  } catch {
    // A getter that throws: show the whole value instead (render never throws).
    given = value;
  }
  return new InvalidSpecError('exit reason', [{ path: at, message: `${problem.expected}; given ${render(given)}` }]);
}
