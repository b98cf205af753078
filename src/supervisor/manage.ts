/**
 * Starting children in one running supervisor, the way every handle does it (the root's and the ones
 * reached by path): validate, check the modules against the host, then ask through the mailbox.
 */
import type { ChildSpec, NormalizedWorkerChildSpec } from '../core/child-spec.js';
import { parseChildSpec } from '../core/validate.js';
import { cloneProblem } from '../options/worker-options.js';
import { InvalidSpecError } from '../errors.js';
import { checkChildModules } from './spec-checks.js';
import { forgetStaleNames, registerNames } from './registry.js';
import type { SupervisorProcess } from './supervisor.js';

/**
 * Validates `spec` against `sup`'s own flags (paths relative to the spec; a `significant` child needs an
 * `autoShutdown` other than 'never') and starts it in static supervisor `sup` (OTP's `start_child`).
 */
export async function startChildIn(sup: SupervisorProcess, spec: ChildSpec): Promise<void> {
  const normalized = parseChildSpec(spec, { autoShutdown: sup.query.autoShutdown });
  checkChildModules(normalized, sup.tree.host, 'child spec');
  const root = sup.tree.registry.root;
  registerNames(sup.tree.registry, root, [normalized], sup.path, () => '', 'child spec');
  try {
    await sup.request({ type: 'start_child', spec: normalized }, normalized.id);
  } catch (error) {
    // The name was taken before the start so that two concurrent starts cannot both claim it; a start
    // that failed kept no spec, so its name must be free again.
    forgetStaleNames(sup.tree.registry);
    throw error;
  }
}

/** Removes the spec of stopped child `id` of `sup` (OTP's `delete_child`) and forgets the names it carried. */
export async function deleteChildIn(sup: SupervisorProcess, id: string): Promise<void> {
  try {
    await sup.request({ type: 'delete_child', id }, id);
  } finally {
    forgetStaleNames(sup.tree.registry);
  }
}

/**
 * Starts one more child of dynamic supervisor `sup` from its template and resolves with its id, or with
 * `undefined` when its `init` declined (nothing is kept). `extraArgs` is merged into the template's
 * `args` when both are plain objects, and replaces them otherwise.
 */
export async function startDynamicChildIn(sup: SupervisorProcess, extraArgs: unknown): Promise<string | undefined> {
  const { template } = sup.dynamic!;
  const base = template.args;
  const args = extraArgs === undefined ? base : isPlainObject(base) && isPlainObject(extraArgs) ? { ...base, ...extraArgs } : extraArgs;
  // The template was validated with the supervisor's spec; only the id and the args are new, and the args
  // must cross to the thread: refuse them here rather than spawn a thread that fails to start.
  const problem = cloneProblem(args);
  if (problem !== null) throw new InvalidSpecError('dynamic child args', [{ path: 'args', message: problem }]);
  const id = nextId(sup);
  const spec: NormalizedWorkerChildSpec = { ...template, type: 'worker', id, args };
  await sup.request({ type: 'start_child', spec }, id);
  return sup.query.child(id) === undefined ? undefined : id;
}

/** `child-1`, `child-2`, ... per dynamic supervisor path, never reused, across its restarts too (a ref names one child). */
function nextId(sup: SupervisorProcess): string {
  const n = (sup.tree.dynamicIds.get(sup.path) ?? 0) + 1;
  sup.tree.dynamicIds.set(sup.path, n);
  return `child-${n}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
