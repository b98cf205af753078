/**
 * Elixir's DynamicSupervisor: no children at start, one template, children added at run time with extra
 * arguments, an optional `maxChildren`, one_for_one restarts, and an unordered, parallel shutdown.
 */
import type { DynamicSupervisorSpec } from '../core/supervisor-flags.js';
import { parseDynamicSupervisorSpec, parseWorkerChildSpec } from '../core/validate.js';
import { moduleProblem } from './spec-checks.js';
import { InvalidSpecError } from '../errors.js';
import { SupervisorProcess } from './supervisor.js';
import { TreeHandle } from './tree-handle.js';
import { treeContext, type StartOptions } from './start-supervisor.js';

/** A running dynamic supervisor. */
export class DynamicSupervisor extends TreeHandle {
  readonly #template: Record<string, unknown>;
  #nextId = 1;

  /** @internal Use `startDynamicSupervisor`. */
  constructor(root: SupervisorProcess, template: Record<string, unknown>) {
    super(root);
    this.#template = template;
  }

  /**
   * Starts one more child from the template and resolves with its id, or with `undefined` when its
   * `init` declined to start (`ignore()`: nothing is kept). `extraArgs` is merged into the template's
   * `args` when both are plain objects, and replaces them otherwise. Rejects with `MaxChildrenError` past
   * `maxChildren`, or `StartError` (nothing is kept).
   *
   * @example
   * const id = await pool.startChild({ userId: 42 });
   * await pool.ref<typeof Session>(id).call('greet');
   */
  async startChild(extraArgs?: unknown): Promise<string | undefined> {
    const id = `child-${this.#nextId++}`;
    const base = this.#template.args;
    const args = extraArgs === undefined ? base : isPlainObject(base) && isPlainObject(extraArgs) ? { ...base, ...extraArgs } : extraArgs;
    const spec = parseWorkerChildSpec({ ...this.#template, type: 'worker', id, ...(args === undefined ? {} : { args }) });
    await this.root.request({ type: 'start_child', spec }, id);
    return this.root.state.children.get(id) === undefined ? undefined : id;
  }
}

/**
 * Validates the spec (the template's module included) and starts an empty dynamic supervisor.
 *
 * @example
 * const sessions = await startDynamicSupervisor({ maxChildren: 100, template: { module: sessionUrl, restart: 'transient' } });
 */
export async function startDynamicSupervisor(spec: DynamicSupervisorSpec, options: StartOptions = {}): Promise<DynamicSupervisor> {
  const normalized = parseDynamicSupervisorSpec(spec);
  const tree = treeContext(options);
  const problem = (tree.host.checkModule?.bind(tree.host) ?? moduleProblem)(normalized.template.module);
  if (problem !== null) throw new InvalidSpecError('dynamic supervisor spec', [{ path: 'template.module', message: problem }]);
  const root = new SupervisorProcess({
    name: normalized.name ?? 'dynamic',
    flags: { ...normalized, strategy: 'one_for_one', autoShutdown: 'never' },
    children: [],
    tree,
    root: true,
    dynamic: { maxChildren: normalized.maxChildren },
  });
  await root.start();
  // Keep the template as the user gave it (minus the tag) so each child is validated like a fresh spec.
  const { type: _type, ...template } = spec.template as Record<string, unknown>;
  return new DynamicSupervisor(root, template);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
