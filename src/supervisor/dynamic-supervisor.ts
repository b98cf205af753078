/**
 * Elixir's DynamicSupervisor as a tree of its own: no children at start, one template, children added at
 * run time with extra arguments, an optional `maxChildren`, one_for_one restarts, and an unordered,
 * parallel shutdown. The same supervisor runs as a child of another with `dynamicSupervisor()`.
 */
import type { DynamicSupervisorSpec } from '../core/supervisor-flags.js';
import type { AnyWorker, PartialInitArgs } from '../protocol/worker-definition.js';
import { parseDynamicSupervisorSpec } from '../core/validate.js';
import { moduleProblem } from './spec-checks.js';
import { rootSupervisorName } from '../core/naming.js';
import { InvalidSpecError } from '../errors.js';
import { startDynamicChildIn } from './manage.js';
import { SupervisorProcess } from './supervisor.js';
import { TreeHandle } from './tree-handle.js';
import { treeContext, type StartOptions } from './tree-context.js';

/** A running dynamic supervisor. `W` is the worker its template starts: it types `startChild`'s `extraArgs`. */
export class DynamicSupervisor<W = AnyWorker> extends TreeHandle {
  /** @internal Use `startDynamicSupervisor`. */
  constructor(root: SupervisorProcess) {
    super(root);
  }

  /**
   * Starts one more child from the template and resolves with its id, or with `undefined` when its
   * `init` declined to start (`ignore()`: nothing is kept). `extraArgs` is merged into the template's
   * `args` when both are plain objects, and replaces them otherwise; typed as a part of `W`'s init args
   * (`PartialInitArgs<W>`), since the template may hold the rest. Rejects with `MaxChildrenError` past
   * `maxChildren`, or `StartError` (nothing is kept).
   *
   * @example
   * const id = await pool.startChild({ userId: 42 });
   * await pool.ref<typeof Session>(id).call('greet');
   */
  async startChild(extraArgs?: PartialInitArgs<W>): Promise<string | undefined> {
    return startDynamicChildIn(this.root, extraArgs);
  }
}

/**
 * Validates the spec (the template's module included) and `options` (as `startSupervisor` does; both
 * reject with `InvalidSpecError`, `ERR_INVALID_SPEC`, before anything starts) and starts an empty
 * dynamic supervisor. Give the worker's type (`startDynamicSupervisor<typeof Session>`) to check
 * `template.args` and `startChild`'s `extraArgs` against its `init`, each as a part of its args.
 *
 * @example
 * const sessions = await startDynamicSupervisor<typeof Session>({ maxChildren: 100, template: { module: sessionUrl, restart: 'transient' } });
 * await sessions.startChild({ userId: 42 });
 */
export async function startDynamicSupervisor<W = AnyWorker>(spec: DynamicSupervisorSpec<W>, options?: StartOptions): Promise<DynamicSupervisor<W>> {
  const normalized = parseDynamicSupervisorSpec(spec);
  const tree = treeContext(options);
  const problem = (tree.host.checkModule?.bind(tree.host) ?? moduleProblem)(normalized.template.module);
  if (problem !== null) throw new InvalidSpecError('dynamic supervisor spec', [{ path: 'template.module', message: problem }]);
  const root = new SupervisorProcess({
    name: rootSupervisorName(normalized, 'dynamic'),
    flags: { ...normalized, strategy: 'one_for_one', autoShutdown: 'never' },
    children: [],
    tree,
    root: true,
    dynamic: { maxChildren: normalized.maxChildren, template: normalized.template },
  });
  await root.start();
  return new DynamicSupervisor<W>(root);
}
