/**
 * What every running supervisor handle offers, static or dynamic: refs, introspection, events, metrics,
 * terminating children and stopping. The two public classes add their own way of starting children.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker } from '../protocol/worker-definition.js';
import type { SupervisorEvents } from '../observability/events.js';
import type { SupervisionMetrics } from '../observability/metrics.js';
import { childRef } from './child-ref.js';
import { assertMonitorCallback, demonitorOf, type TreeMonitor } from './registry.js';
import type { DownNotice } from '../protocol/actor-context.js';
import { poolRef } from './pool-ref.js';
import type { PoolRef } from '../pool/types.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import { assertChildPath, childIdError } from './arguments.js';
import { countChildren, treeSnapshot, whichChildren, type ChildCounts, type ChildInfo, type SupervisorTree } from './introspection.js';
import { NestedDynamicSupervisor, NestedSupervisor } from './nested-handles.js';
import type { SupervisorProcess } from './supervisor.js';

/** Set by {@link TreeHandle}'s static block, which alone may reach a handle's protected root. */
let killRoot: (handle: TreeHandle, afterMs: number) => void;

/**
 * Ends a whole tree at once, as a parent ends a child supervisor whose shutdown timeout ran out: every
 * thread is terminated (a stop under way included), each exit is reported, and the root's `exited`
 * settles with `{ kind: 'killed', afterMs }`. For the daemon runner's shutdown deadline; not part of the
 * package's API (a handle offers `stop()`, which never skips a `terminate`).
 * @internal
 */
export function killTree(handle: TreeHandle, afterMs: number): void {
  killRoot(handle, afterMs);
}

/** The common surface of `Supervisor` and `DynamicSupervisor`. */
export abstract class TreeHandle {
  /** @internal */
  protected readonly root: SupervisorProcess;

  static {
    // A static block sees protected members of any handle, so the kill path needs no public method.
    killRoot = (handle, afterMs) => handle.root.kill(afterMs);
  }

  /** @internal */
  protected constructor(root: SupervisorProcess) {
    this.root = root;
  }

  /** The supervisor's name. */
  get name(): string {
    return this.root.name;
  }

  /** Settles once with the supervisor's exit reason (`shutdown` after `stop()`, `max_intensity` after an escalation). Never rejects. */
  get exited(): Promise<ExitReason> {
    return this.root.exited;
  }

  /**
   * A reference to the worker at `path` (`'counter'`, or `'jobs/queue'` inside a nested supervisor), or
   * with the registered name `path` (`'bank'`, wherever it sits), typed by its module. It names the
   * child, not an incarnation: calls always reach the current one.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) at once when `path` is not a child id or ids joined by
   * `/` (`null`, `''`, `'jobs//w1'`): no tree could ever have a child there.
   *
   * @example
   * import type Counter from './counter.worker.js';
   * const counter = sup.ref<typeof Counter>('counter');
   * await counter.call('add', 2);
   */
  ref<W = AnyWorker>(path: string): ActorRef<W> {
    assertChildPath(path);
    return childRef<W>(this.root, path);
  }

  /**
   * Watches the incarnation of the worker at `target` (a registered name or a path) running now: when it
   * ends, `onDown` gets one {@link DownNotice} with its exit reason (OTP's `monitor`). One incarnation only:
   * after the notice, monitor again to watch the next. A target with nothing running gets a `noproc`
   * notice at once (never synchronously). A callback that throws is logged (`listener_error`) and contained.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) at once when `target` is not a name or a path.
   * @throws ChildKindError (`ERR_CHILD_KIND`) at once when `target` names a supervisor or a pool (nothing there is watchable).
   * @example
   * const m = sup.monitor('bank', (down) => console.log(down.path, down.incarnation, down.reason.kind));
   * m.demonitor();
   */
  monitor(target: string, onDown: (notice: DownNotice) => void): TreeMonitor {
    assertChildPath(target);
    assertMonitorCallback(onDown);
    return this.root.tree.registry.monitorFor(target, onDown);
  }

  /**
   * Stops a monitor made by {@link monitor} (the same as `monitor.demonitor()`); `false` when it had already fired or been removed.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `monitor` is not a monitor `monitor()` returned.
   */
  demonitor(monitor: TreeMonitor): boolean {
    return demonitorOf(monitor);
  }

  /**
   * A reference to the pool child at `path` (built with `pool()`), typed by its job handler module. It
   * names the child, not an incarnation: each `run` reaches the pool running there now, and is refused
   * at once with `ChildUnavailableError` while it restarts. Its `deadLetters` outlive the pool's restarts.
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) at once when `path` is not a child path (as `ref` does).
   *
   * @example
   * import type Jobs from './resize.jobs.js';
   * const resizers = sup.pool<typeof Jobs>('resizers');
   * await resizers.run('resize', img, 100);
   */
  pool<J = AnyJobs>(path: string): PoolRef<J> {
    assertChildPath(path);
    return poolRef<J>(this.root, path);
  }

  /**
   * A handle on the static supervisor at `path` (`'jobs'`, `'jobs/inner'`), to manage its children as
   * this handle manages the root's. It names the place, not an incarnation: each call finds the
   * supervisor running there now, and fails with a typed error when the path names nothing
   * (`ChildNotFoundError`), a worker or a dynamic supervisor (`ChildKindError`), a supervisor that is
   * restarting (`ChildUnavailableError`), or the tree has stopped (`SupervisorStoppedError`). Throws
   * `InvalidSpecError` at once when `path` is not a child path (as `ref` does).
   *
   * @example
   * const jobs = sup.supervisor('jobs');
   * await jobs.startChild(worker({ id: 'w2', module: new URL('./job.worker.js', import.meta.url) }));
   * await jobs.restartChild('w1');
   * jobs.whichChildren();
   */
  supervisor(path: string): NestedSupervisor {
    assertChildPath(path);
    return new NestedSupervisor(this.root, path);
  }

  /**
   * A handle on the dynamic supervisor at `path` (a child built with `dynamicSupervisor()`), to start
   * children in it from its template. Fails as `supervisor(path)` does, with `ChildKindError` when the
   * path names a static supervisor. `W`, the worker its template starts, types `startChild`'s `extraArgs`.
   *
   * @example
   * const id = await sup.dynamicSupervisor<typeof Session>('sessions').startChild({ userId: 42 });
   * await sup.ref<typeof Session>(`sessions/${id}`).call('greet');
   */
  dynamicSupervisor<W = AnyWorker>(path: string): NestedDynamicSupervisor<W> {
    assertChildPath(path);
    return new NestedDynamicSupervisor<W>(this.root, path);
  }

  /** The children, in start order (OTP's `which_children`). */
  whichChildren(): ChildInfo[] {
    return whichChildren(this.root.query);
  }

  /** Counts of the children (OTP's `count_children`). */
  countChildren(): ChildCounts {
    return countChildren(this.root.query);
  }

  /** The whole tree: ids, types, statuses, restart counts, threads, uptimes and pending restarts. */
  tree(): SupervisorTree {
    return treeSnapshot(this.root, this.root.tree.clock.now());
  }

  /** Counters of the whole tree (starts, restarts, crashes, start failures, escalations...). */
  metrics(): SupervisionMetrics {
    return { ...this.root.tree.metrics };
  }

  /**
   * Stops a child (or cancels its pending restart at once). A static supervisor keeps the spec (a
   * temporary child's is removed); a dynamic one removes the child. Rejects with `ChildNotFoundError`, or
   * `InvalidSpecError` (`ERR_INVALID_SPEC`) when `id` is not a child id (`null`, `''`, `'a/b'`).
   */
  terminateChild(id: string): Promise<void> {
    const invalid = childIdError(id);
    if (invalid !== null) return Promise.reject(invalid);
    return this.root.request({ type: 'terminate_child', id }, id);
  }

  /** Subscribes to a tree event (every supervisor in the tree emits here). */
  on<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.root.tree.emitter.on(event, listener as never);
    return this;
  }

  /** Subscribes for one occurrence. */
  once<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.root.tree.emitter.once(event, listener as never);
    return this;
  }

  /** Unsubscribes. */
  off<E extends keyof SupervisorEvents>(event: E, listener: SupervisorEvents[E]): this {
    this.root.tree.emitter.off(event, listener as never);
    return this;
  }

  /**
   * Stops the supervisor: pending restarts are cancelled at once, children stop (in reverse start order;
   * a dynamic supervisor's in parallel), each within its `shutdown`, and it resolves with the exit
   * reason. Calling it again is harmless.
   */
  stop(): Promise<ExitReason> {
    return this.root.stop();
  }
}
