/**
 * The public face of a supervision tree: `startSupervisor(spec)` validates, starts the children in
 * order, and hands back a `Supervisor` to call, manage, observe and stop the tree.
 */
import type { ChildSpec } from '../core/child-spec.js';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { parseSupervisorSpec } from '../core/validate.js';
import { rootSupervisorName } from '../core/naming.js';
import { checkModules } from './spec-checks.js';
import { registerNames } from './registry.js';
import { deleteChildIn, startChildIn } from './manage.js';
import { childIdError } from './arguments.js';
import { SupervisorProcess } from './supervisor.js';
import { treeContext, type StartOptions } from './tree-context.js';
import { TreeHandle } from './tree-handle.js';

export { treeContext, type StartOptions } from './tree-context.js';

/** A running supervision tree (its root supervisor). */
export class Supervisor extends TreeHandle {
  /** @internal Use `startSupervisor`. */
  constructor(root: SupervisorProcess) {
    super(root);
  }

  /**
   * Adds a child to the root and starts it. Rejects with `AlreadyPresentError`, `InvalidSpecError` (paths
   * relative to the spec; checked against the root's own flags, so a `significant` child needs an
   * `autoShutdown` other than 'never'), or `StartError` (then the spec is not kept). Never counts toward
   * restart intensity.
   */
  async startChild(spec: ChildSpec): Promise<void> {
    return startChildIn(this.root, spec);
  }

  /**
   * Starts a stopped child again. Rejects with `ChildRunningError`, `ChildRestartingError`,
   * `ChildNotFoundError`, or `InvalidSpecError` when `id` is not a child id.
   */
  restartChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) return Promise.reject(invalid);
    return this.root.request({ type: 'restart_child', id }, id);
  }

  /**
   * Removes a stopped child's spec. Rejects with `ChildRunningError`, `ChildRestartingError`,
   * `ChildNotFoundError`, or `InvalidSpecError` when `id` is not a child id.
   */
  deleteChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) return Promise.reject(invalid);
    return deleteChildIn(this.root, id);
  }
}

/**
 * Validates `spec` and `options` (rejecting with `InvalidSpecError`, `ERR_INVALID_SPEC`, before anything
 * starts: `options` must be `undefined` or a {@link StartOptions}, unknown keys refused), then starts the children one by
 * one in order. Resolves once all run; if one fails, the started ones are stopped in reverse order and it
 * rejects with a `StartError` naming the child, its cause attached.
 *
 * @example
 * const sup = await startSupervisor({
 *   strategy: 'one_for_one', maxRestarts: 3, periodMs: 5000,
 *   children: [worker({ id: 'counter', module: new URL('./counter.worker.js', import.meta.url) })],
 * });
 */
export async function startSupervisor(spec: SupervisorSpec, options?: StartOptions): Promise<Supervisor> {
  const normalized = parseSupervisorSpec(spec);
  const tree = treeContext(options);
  checkModules(normalized.children, tree.host, 'supervisor spec');
  registerNames(tree.registry, undefined, normalized.children, '', (i) => `children.${i}`, 'supervisor spec');
  const name = rootSupervisorName(normalized);
  const root = new SupervisorProcess({ name, flags: normalized, children: normalized.children, tree, root: true });
  await root.start();
  return new Supervisor(root);
}
