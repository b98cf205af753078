/**
 * Checks what `simulate()` is handed before anything runs. A fault the simulator could never apply (a
 * path that names no worker, an unknown fault or reason, a time after the run ends) would otherwise do
 * nothing, and a property test built on it would pass without testing anything.
 */
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { render } from '../options/render.js';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { supervisorPaths, workerPaths } from './paths.js';
import type { Fault, SimulatedCrashReason, SimulationOptions } from './types.js';

const FAULTS: readonly Fault['fault'][] = ['crash', 'exit_normal', 'hang', 'fail_starts', 'slow_start', 'slow_stop', 'terminate_child'];
const REASONS: readonly SimulatedCrashReason[] = ['error', 'exit', 'oom', 'killed', 'shutdown'];

const oneOf = (accepted: readonly string[], v: unknown) => `expected one of ${accepted.map((a) => `'${a}'`).join(', ')}; given ${render(v)}`;
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Throws `InvalidSpecError` (`ERR_INVALID_SPEC`) listing every fault and option `simulate()` could not
 * apply, each with its place (`faults.3.path`), what is accepted and what was given. A path must name a
 * worker of `spec` (the message lists the ones that exist); the check is about the address only, so a
 * fault at a worker that is not running when it fires is still valid (it does nothing, by design).
 * `spec` must already have passed `parseSupervisorSpec`.
 *
 * @example
 * checkSimulationInput(spec, [{ at: 10, path: 'dB', fault: 'crash', reason: 'error' }], {});
 * // InvalidSpecError: invalid simulate() input:
 * //   - faults.0.path: no worker at 'dB'; faults aim at workers, and this tree's are 'db', 'jobs/queue'
 */
export function checkSimulationInput(spec: Pick<SupervisorSpec, 'children'>, faults: readonly Fault[], options: SimulationOptions): void {
  const issues: SpecIssue[] = [];
  for (const key of ['untilMs', 'hangDetectMs'] as const) {
    const v: unknown = options[key];
    if (v !== undefined && !isMs(v)) issues.push({ path: `options.${key}`, message: `expected a number of virtual ms >= 0; given ${render(v)}` });
  }
  if (options.seed !== undefined && !Number.isFinite(options.seed)) issues.push({ path: 'options.seed', message: `expected a finite number; given ${render(options.seed)}` });
  if (!Array.isArray(faults)) {
    issues.push({ path: 'faults', message: `expected an array of faults; given ${render(faults)}` });
    throw new InvalidSpecError('simulate() input', issues);
  }
  const workers = workerPaths(spec);
  const isWorker = new Set(workers);
  const supervisors = new Set(supervisorPaths(spec));
  const aimAt = workers.length === 0 ? 'this tree has no workers, so it takes no faults' : `faults aim at workers, and this tree's are ${workers.map((p) => `'${p}'`).join(', ')}`;
  const untilMs = isMs(options.untilMs) ? options.untilMs : undefined;
  faults.forEach((fault: unknown, i) => {
    const at = `faults.${i}`;
    if (typeof fault !== 'object' || fault === null) {
      issues.push({ path: at, message: `expected a fault ({ at, path, fault, ... }); given ${render(fault)}` });
      return;
    }
    const f = fault as Record<string, unknown>;
    if (!isMs(f.at)) issues.push({ path: `${at}.at`, message: `expected a virtual time in ms >= 0; given ${render(f.at)}` });
    else if (untilMs !== undefined && f.at > untilMs) issues.push({ path: `${at}.at`, message: `the run stops the tree at untilMs ${untilMs}, so this fault would never fire; given ${f.at}` });
    if (typeof f.path !== 'string') issues.push({ path: `${at}.path`, message: `expected a worker's path (ids from the root down, joined by '/'); given ${render(f.path)}` });
    else if (!isWorker.has(f.path)) {
      const what = f.path === '' ? "'' is the root supervisor" : supervisors.has(f.path) ? `'${f.path}' is a supervisor` : `no worker at '${f.path}'`;
      issues.push({ path: `${at}.path`, message: `${what}; ${aimAt}` });
    }
    switch (f.fault) {
      case 'crash':
        if (!REASONS.includes(f.reason as SimulatedCrashReason)) issues.push({ path: `${at}.reason`, message: oneOf(REASONS, f.reason) });
        break;
      case 'fail_starts':
        if (!Number.isInteger(f.count) || (f.count as number) < 0) issues.push({ path: `${at}.count`, message: `expected a whole number >= 0; given ${render(f.count)}` });
        break;
      case 'slow_start':
      case 'slow_stop':
        if (!isMs(f.ms)) issues.push({ path: `${at}.ms`, message: `expected a number of virtual ms >= 0; given ${render(f.ms)}` });
        break;
      case 'exit_normal':
      case 'hang':
      case 'terminate_child':
        break;
      default:
        issues.push({ path: `${at}.fault`, message: oneOf(FAULTS, f.fault) });
    }
  });
  if (issues.length > 0) throw new InvalidSpecError('simulate() input', issues);
}
