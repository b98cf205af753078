/**
 * Elixir's DynamicSupervisor: no children at start, one template, children added at run time with extra
 * arguments, an optional `maxChildren`, one_for_one restarts, and an unordered, parallel shutdown.
 */
import type { ExitReason } from '../core/exit-reason.js';
import type { DynamicSupervisorSpec } from '../core/supervisor-flags.js';
import { parseDynamicSupervisorSpec, parseWorkerChildSpec } from '../core/validate.js';
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker } from '../protocol/worker-definition.js';
import type { SupervisorEvents } from '../observability/events.js';
import type { SupervisionMetrics } from '../observability/metrics.js';
import { childRef } from './child-ref.js';
import type { ChildCounts, ChildInfo, SupervisorTree } from './introspection.js';
import { moduleProblem } from './spec-checks.js';
import { InvalidSpecError } from '../errors.js';
import { SupervisorProcess } from './supervisor.js';
import { treeContext, type StartOptions } from './start-supervisor.js';

/** A running dynamic supervisor. */
export class DynamicSupervisor {
  readonly #root: SupervisorProcess;
  readonly #template: Record<string, unknown>;
  #nextId = 1;

  /** @internal Use `startDynamicSupervisor`. */
  constructor(root: SupervisorProcess, template: Record<string, unknown>) {
    this.#root = root;
    this.#template = template;
  }

  /** Settles once with the supervisor's exit reason. Never rejects. */
  get exited(): Promise<ExitReason> {
    return this.#root.exited;
  }

  /**
   * Starts one more child from the template and resolves with its id. `extraArgs` is merged into the
   * template's `args` when both are plain objects, and replaces them otherwise. Rejects with
   * `MaxChildrenError` past `maxChildren`, or `StartError` (nothing is kept).
   *
   * @example
   * const id = await pool.startChild({ userId: 42 });
   * await pool.ref<typeof Session>(id).call('greet');
   */
  async startChild(extraArgs?: unknown): Promise<string> {
    const id = `child-${this.#nextId++}`;
    const base = this.#template.args;
    const args = extraArgs === undefined ? base : isPlainObject(base) && isPlainObject(extraArgs) ? { ...base, ...extraArgs } : extraArgs;
    const spec = parseWorkerChildSpec({ ...this.#template, type: 'worker', id, ...(args === undefined ? {} : { args }) });
    await this.#root.request({ type: 'start_child', spec }, id);
    return id;
  }

  /** Stops a child and removes it. Rejects with `ChildNotFoundError`. */
  terminateChild(id: string): Promise<void> {
    return this.#root.request({ type: 'terminate_child', id }, id);
  }

  /** A ref to a child, following its restarts. */
  ref<W = AnyWorker>(id: string): ActorRef<W> {
    return childRef<W>(this.#root, id);
  }

  /** The children, in the order they were started (OTP's `which_children`). */
  whichChildren(): ChildInfo[] {
    return this.#root.whichChildren();
  }

  /** Counts of the children (OTP's `count_children`). */
  countChildren(): ChildCounts {
    return this.#root.countChildren();
  }

  /** Every child with its status, restart count, thread, uptime and pending restart. */
  tree(): SupervisorTree {
    return this.#root.treeSnapshot(this.#root.tree.clock.now());
  }

  /** Counters of this supervisor's children (starts, restarts, crashes...). */
  metrics(): SupervisionMetrics {
    return { ...this.#root.tree.metrics };
  }

  /** Subscribes to an event. */
  on<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.#root.tree.emitter.on(event, listener as never);
    return this;
  }

  /** Subscribes for one occurrence. */
  once<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.#root.tree.emitter.once(event, listener as never);
    return this;
  }

  /** Unsubscribes. */
  off<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.#root.tree.emitter.off(event, listener as never);
    return this;
  }

  /** Stops every child in parallel (each within its `shutdown`) and resolves with the exit reason. */
  stop(): Promise<ExitReason> {
    return this.#root.stop();
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
