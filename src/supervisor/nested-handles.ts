/**
 * Handles on supervisors inside a tree, reached by path from the root handle (`sup.supervisor('jobs')`,
 * `sup.dynamicSupervisor('sessions')`). A handle names a place in the tree, not an incarnation: every
 * call finds the supervisor running there now, so a handle taken once keeps working across restarts.
 */
import type { ChildSpec } from '../core/child-spec.js';
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker, PartialInitArgs } from '../protocol/worker-definition.js';
import { childRef } from './child-ref.js';
import { assertChildPath, childIdError } from './arguments.js';
import { countChildren, treeSnapshot, whichChildren, type ChildCounts, type ChildInfo, type SupervisorTree } from './introspection.js';
import { deleteChildIn, startChildIn, startDynamicChildIn } from './manage.js';
import { supervisorAt, type SupervisorKind } from './supervisor-at.js';
import { assertMonitorCallback, demonitorOf, type TreeMonitor } from './registry.js';
import type { DownNotice } from '../protocol/actor-context.js';
import type { SupervisorProcess } from './supervisor.js';

/** What both nested handles offer: introspection, refs below it, and terminating children. */
abstract class NestedHandle {
  readonly #root: SupervisorProcess;
  readonly #kind: SupervisorKind;
  /** The supervisor's path from the root (`'jobs'`, `'jobs/sessions'`). */
  readonly path: string;

  /** @internal */
  protected constructor(root: SupervisorProcess, path: string, kind: SupervisorKind) {
    this.#root = root;
    this.path = path;
    this.#kind = kind;
  }

  /**
   * The supervisor running at the path now.
   * @internal
   */
  protected here(): SupervisorProcess {
    return supervisorAt(this.#root, this.path, this.#kind);
  }

  /**
   * Its children, in start order (OTP's `which_children`).
   * @throws the errors of `sup.supervisor(path)` when the path names no running supervisor of this kind.
   */
  whichChildren(): ChildInfo[] {
    return whichChildren(this.here().query);
  }

  /**
   * Counts of its children (OTP's `count_children`).
   * @throws the errors of `sup.supervisor(path)` when the path names no running supervisor of this kind.
   */
  countChildren(): ChildCounts {
    return countChildren(this.here().query);
  }

  /**
   * Its subtree, as the root's `tree()` shows it.
   * @throws the errors of `sup.supervisor(path)` when the path names no running supervisor of this kind.
   */
  tree(): SupervisorTree {
    const sup = this.here();
    return treeSnapshot(sup, sup.tree.clock.now());
  }

  /**
   * A ref to a worker below this supervisor, by a path relative to it (`'w1'` here is `'<path>/w1'` from
   * the root). Like every ref it names the child, not an incarnation. Throws `InvalidSpecError` at once
   * when `path` is not a child path.
   */
  ref<W = AnyWorker>(path: string): ActorRef<W> {
    assertChildPath(path);
    return childRef<W>(this.#root, `${this.path}/${path}`);
  }

  /**
   * Watches the incarnation of the worker at `path` below this supervisor (relative, as {@link ref}) running
   * now, as the root's `sup.monitor` does (OTP's `monitor`): one {@link DownNotice} when it ends, or a
   * `noproc` notice at once (never synchronously) when nothing runs there.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `path` is not a child path or `onDown` not a function.
   * @throws ChildKindError (`ERR_CHILD_KIND`) when `path` names a supervisor or a pool (nothing there is watchable).
   */
  monitor(path: string, onDown: (notice: DownNotice) => void): TreeMonitor {
    assertChildPath(path);
    assertMonitorCallback(onDown);
    return this.#root.tree.registry.monitorFor(`${this.path}/${path}`, onDown);
  }

  /**
   * Stops a monitor made by {@link monitor} (the same as `monitor.demonitor()`); `false` when it had already fired or been removed.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `monitor` is not a monitor `monitor()` returned.
   */
  demonitor(monitor: TreeMonitor): boolean {
    return demonitorOf(monitor);
  }

  /**
   * Stops a child (or cancels its pending restart at once). A static supervisor keeps the spec (a
   * temporary child's is removed); a dynamic one removes the child.
   * Rejects with `ChildNotFoundError` (`ERR_NOT_FOUND`), `InvalidSpecError` (`ERR_INVALID_SPEC`) when `id`
   * is not a child id, or the errors of resolving the path.
   */
  async terminateChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) throw invalid;
    return this.here().request({ type: 'terminate_child', id }, id);
  }
}

/**
 * A static supervisor inside a tree, managed by path (OTP's `supervisor:start_child(Pid, Spec)` on a
 * nested supervisor's pid). Get one with `sup.supervisor(path)`.
 *
 * Every method finds the supervisor at `path` first and fails with a typed error when it cannot:
 * `ChildNotFoundError` (`ERR_NOT_FOUND`) when the path names nothing, `ChildKindError` (`ERR_CHILD_KIND`)
 * when it names a worker or a dynamic supervisor, `ChildUnavailableError` (`ERR_CHILD_UNAVAILABLE`) while
 * the supervisor is restarting, `SupervisorStoppedError` (`ERR_SUPERVISOR_STOPPED`) once the tree stopped.
 *
 * @example
 * const jobs = sup.supervisor('jobs');
 * await jobs.startChild(worker({ id: 'w2', module: new URL('./job.worker.js', import.meta.url) }));
 * await jobs.terminateChild('w1');
 * jobs.countChildren(); // { specs: 2, active: 1, supervisors: 0, workers: 2 }
 */
export class NestedSupervisor extends NestedHandle {
  /** @internal Use `sup.supervisor(path)`. */
  constructor(root: SupervisorProcess, path: string) {
    super(root, path, 'supervisor');
  }

  /**
   * Adds a child to this supervisor and starts it. Rejects with `AlreadyPresentError`, `InvalidSpecError`,
   * or `StartError` (then the spec is not kept). Never counts toward restart intensity.
   */
  async startChild(spec: ChildSpec): Promise<void> {
    return startChildIn(this.here(), spec);
  }

  /** Starts a stopped child again. Rejects with `ChildRunningError`, `ChildRestartingError`, `ChildNotFoundError`, `InvalidSpecError`. */
  async restartChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) throw invalid;
    return this.here().request({ type: 'restart_child', id }, id);
  }

  /** Removes a stopped child's spec. Rejects with `ChildRunningError`, `ChildRestartingError`, `ChildNotFoundError`, `InvalidSpecError`. */
  async deleteChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) throw invalid;
    return deleteChildIn(this.here(), id);
  }
}

/**
 * A dynamic supervisor inside a tree (one built with `dynamicSupervisor()`), managed by path. Get one
 * with `sup.dynamicSupervisor(path)` (`sup.dynamicSupervisor<typeof Session>(path)` types `startChild`'s
 * `extraArgs`); it fails like {@link NestedSupervisor} does, with `ChildKindError` when the path names a
 * static supervisor.
 *
 * @example
 * const sessions = sup.dynamicSupervisor('sessions');
 * const id = await sessions.startChild({ userId: 42 }); // 'child-1'
 * await sessions.ref<typeof Session>(id!).call('greet'); // the same child as sup.ref('sessions/child-1')
 */
export class NestedDynamicSupervisor<W = AnyWorker> extends NestedHandle {
  /** @internal Use `sup.dynamicSupervisor(path)`. */
  constructor(root: SupervisorProcess, path: string) {
    super(root, path, 'dynamic supervisor');
  }

  /**
   * Starts one more child from the template and resolves with its id (`child-1`, `child-2`, ..., never
   * reused, across restarts of this supervisor too), or with `undefined` when its `init` declined
   * (`ignore()`: nothing is kept). `extraArgs` is merged into the template's `args` when both are plain
   * objects, and replaces them otherwise; typed as a part of `W`'s init args (`PartialInitArgs<W>`), since
   * the template may hold the rest. Rejects with `MaxChildrenError` (`ERR_MAX_CHILDREN`) past
   * `maxChildren`, or `StartError` (nothing is kept).
   */
  async startChild(extraArgs?: PartialInitArgs<W>): Promise<string | undefined> {
    return startDynamicChildIn(this.here(), extraArgs);
  }
}
