/**
 * The tree's registry: registered names to paths, the checks that keep names unique, and the directory
 * through which the threads of the tree resolve names and paths and watch incarnations (`ctx.ref`,
 * `ctx.monitor`) and the main thread monitors children (`tree.monitor`).
 *
 * A name names a child, not an incarnation: the table maps it to the child's path once, when its spec
 * enters the tree, and every use resolves the path to whatever runs there now (see `lookup`). An entry
 * whose child has since left the tree is stale, and the spec at the path says so, so nothing has to
 * remove entries in step with the core's decisions; stale entries are swept (`forgetStaleNames`) after a
 * delete and a failed start, and before each registration, so the table stays as large as the live names.
 */
import { ChildKindError, ChildUnavailableError, InvalidSpecError, type SpecIssue } from '../errors.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { DownNotice, MonitorRef } from '../protocol/actor-context.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ActorHandle } from '../seams/child-host.js';
import type { Down, PeerDirectory, Resolution } from '../seams/peers.js';
import { contain } from '../observability/contain.js';
import { render } from '../options/render.js';
import { defaultTimeout, lookup, resolveTarget, specAt, waitForActor } from './child-ref.js';
import type { SupervisorProcess } from './supervisor.js';

/** A monitor made on the main thread: a {@link MonitorRef} that can remove itself. */
export interface TreeMonitor extends MonitorRef {
  /** Stops it: the callback is not called after this returns. `false` when it had already fired or been removed. */
  demonitor(): boolean;
}

/** Registered names and the directory of one tree. */
export class Registry implements PeerDirectory {
  /** Registered name to the path of its child. */
  readonly names = new Map<string, string>();
  #root: SupervisorProcess | undefined;
  /** The watchers of each incarnation, so a monitor removed early holds nothing until that incarnation ends. */
  readonly #watchers = new WeakMap<ActorHandle, Set<(reason: ExitReason) => void>>();
  #nextMonitor = 0;

  /** Every supervisor process of the tree that has not exited, by path (a restarted one replaces the last). */
  readonly #supervisors = new Map<string, SupervisorProcess>();

  /** Records a supervisor of the tree as it is created, until it exits. */
  supervisorCreated(sup: SupervisorProcess): void {
    this.#supervisors.set(sup.path, sup);
    sup.onExit(() => {
      if (this.#supervisors.get(sup.path) === sup) this.#supervisors.delete(sup.path);
    });
  }

  /** The supervisor process at `path` now (starting, running or stopping), if any. */
  supervisorAt(path: string): SupervisorProcess | undefined {
    return this.#supervisors.get(path);
  }

  /** The tree's root, once it exists (names resolve from it). */
  attach(root: SupervisorProcess): void {
    this.#root = root;
  }

  /** The tree's root supervisor process, once attached. */
  get root(): SupervisorProcess | undefined {
    return this.#root;
  }

  async resolve(target: string, timeoutMs: number | undefined, waiting?: (callTimeoutMs: number) => void): Promise<Resolution> {
    const root = this.#root;
    if (root === undefined) return { ok: false, detail: 'its tree has not started' };
    const found = lookup(root, target);
    if (found.kind === 'never') return { ok: false, detail: found.why };
    const path = resolveTarget(root, target);
    let actor: ActorHandle;
    if (found.kind === 'actor') actor = found.actor;
    else {
      const own = defaultTimeout(root, path);
      waiting?.(own);
      try {
        actor = await waitForActor(root, target, timeoutMs ?? own);
      } catch (error) {
        if (!(error instanceof ChildUnavailableError)) throw error;
        return error.timeoutMs === undefined ? { ok: false, detail: error.detail } : { ok: false, detail: error.detail, timeoutMs: error.timeoutMs };
      }
    }
    // The live incarnation is the latest started: a new one starts only once the last has exited.
    return { ok: true, actor, path, incarnation: root.tree.incarnations.get(path) ?? 1 };
  }

  monitor(target: string, onDown: (down: Down) => void): () => void {
    const root = this.#root;
    const found = root === undefined ? undefined : lookup(root, target);
    let watching = true;
    if (root === undefined || found?.kind !== 'actor') {
      // OTP: a monitor of nothing fires at once with noproc (never synchronously: the caller holds its ref first).
      queueMicrotask(() => {
        if (watching) onDown({ path: target, incarnation: undefined, reason: { kind: 'noproc' } });
      });
      return () => {
        watching = false;
      };
    }
    const path = resolveTarget(root, target);
    const incarnation = root.tree.incarnations.get(path) ?? 1;
    const actor = found.actor;
    const watcher = (reason: ExitReason) => onDown({ path, incarnation, reason });
    let set = this.#watchers.get(actor);
    if (set === undefined) {
      const made = new Set<(reason: ExitReason) => void>();
      this.#watchers.set(actor, made);
      set = made;
      void actor.exited.then((reason) => {
        this.#watchers.delete(actor);
        for (const w of made) w(reason);
        made.clear();
      });
    }
    set.add(watcher);
    const watchers = set;
    return () => {
      watchers.delete(watcher);
    };
  }

  /** Main-thread monitors: `tree.monitor(target, callback)`. */
  monitorFor(target: string, onDown: (notice: DownNotice) => void): TreeMonitor {
    const root = this.#root as SupervisorProcess;
    // A supervisor or a pool never runs an incarnation to watch: say so (as a ref does) rather than a noproc.
    const found = lookup(root, target);
    if (found.kind === 'never' && found.error instanceof ChildKindError) throw found.error;
    let live = true;
    const monitor: TreeMonitor = Object.freeze({
      id: ++this.#nextMonitor,
      target,
      demonitor: () => {
        const was = live;
        live = false;
        stop();
        return was;
      },
    });
    const stop = this.monitor(target, (down) => {
      if (!live) return;
      live = false;
      const notice: DownNotice = Object.freeze({ type: 'down', monitor, path: down.path, incarnation: down.incarnation, reason: down.reason });
      contain(root.tree.logger, root.name, 'monitor', () => onDown(notice));
    });
    return monitor;
  }
}

/** Refuses a monitor callback that is not a function, before any monitor exists. */
export function assertMonitorCallback(onDown: unknown): void {
  if (typeof onDown !== 'function') throw new InvalidSpecError('monitor arguments', [{ path: 'onDown', message: `expected a function; given ${render(onDown)}` }]);
}

/** `sup.demonitor(monitor)` of every handle: refuses what is not a monitor `monitor()` returned. */
export function demonitorOf(monitor: TreeMonitor): boolean {
  if (typeof (monitor as Partial<TreeMonitor> | null)?.demonitor !== 'function') {
    throw new InvalidSpecError('demonitor arguments', [{ path: 'monitor', message: `expected a monitor returned by monitor(); given ${render(monitor)}` }]);
  }
  return monitor.demonitor();
}

/** Where a registered name was found: its field in the spec handed in, or its path in the running tree. */
interface Place {
  path: string;
  /** How an error names it: `children.0.registeredName`, or `the child at 'jobs/bank'`. */
  where: string;
}

/**
 * Checks the registered names of `specs` (the root's children, or one child added at `base`) and records
 * them: each unique in the tree, and none equal to the id of another root child. Throws `InvalidSpecError`
 * (`ERR_INVALID_SPEC`) naming both places of each clash, before anything starts.
 *
 * @param root the running tree, for `startChild` (names already there count); `undefined` for a new tree.
 * @param base the path of the supervisor the specs are added to (`''` for the root).
 * @param field the field path of the first spec in what the user handed in (`children.0` or `''`).
 */
export function registerNames(
  registry: Registry, root: SupervisorProcess | undefined, specs: readonly NormalizedChildSpec[], base: string, field: (index: number) => string, what: string,
): void {
  forgetStaleNames(registry);
  const found = new Map<string, Place>();
  const issues: SpecIssue[] = [];
  const fieldPath = (where: string, key: string) => (where === '' ? key : `${where}.${key}`);
  const describe = (place: Place) => (place.where.startsWith('the child') ? place.where : `${place.where === '' ? 'this spec' : place.where} (path '${place.path}')`);
  const known = (name: string): Place | undefined => {
    const mine = found.get(name);
    if (mine !== undefined) return mine;
    const path = registry.names.get(name);
    if (path === undefined || root === undefined) return undefined;
    const spec = specAt(root, path);
    return spec?.type === 'worker' && spec.registeredName === name ? { path, where: `the child at '${path}'` } : undefined;
  };
  const rootIds = new Set([...(root?.query.ids() ?? []), ...(base === '' ? specs.map((s) => s.id) : [])]);
  specs.forEach((spec, i) => collect(spec, base, field(i), (name, place) => {
    const clash = known(name);
    if (clash !== undefined) {
      issues.push({ path: fieldPath(place.where, 'registeredName'), message: `expected a registered name unique in the tree; given ${render(name)}, already the name of ${describe(clash)}` });
    } else if (rootIds.has(name) && place.path !== name) {
      issues.push({ path: fieldPath(place.where, 'registeredName'), message: `expected a name that is not the id of another child of the root (a target without '/' is looked up as a name first); given ${render(name)}, the id of the root child '${name}'` });
    } else found.set(name, place);
  }));
  // A root child added later must not take an id that a name already answers to.
  if (root !== undefined && base === '') {
    specs.forEach((spec, i) => {
      const named = known(spec.id);
      if (named !== undefined && named.path !== spec.id && !found.has(spec.id)) {
        issues.push({ path: fieldPath(field(i), 'id'), message: `expected an id that is not a registered name of the tree (a target without '/' is looked up as a name first); given ${render(spec.id)}, the name of ${describe(named)}` });
      }
    });
  }
  if (issues.length > 0) throw new InvalidSpecError(what, issues);
  for (const [name, place] of found) registry.names.set(name, place.path);
}

/**
 * Drops the names whose child has left the tree (deleted, a temporary child that ended, a failed
 * `startChild`). Stale entries never answer (every use checks the spec at the path), but kept they would
 * grow the table without bound under churn of named children.
 */
export function forgetStaleNames(registry: Registry): void {
  const root = registry.root;
  if (root === undefined) return;
  for (const [name, path] of registry.names) {
    const spec = specAt(root, path);
    if (spec?.type !== 'worker' || spec.registeredName !== name) registry.names.delete(name);
  }
}

function collect(spec: NormalizedChildSpec, base: string, where: string, seen: (name: string, place: Place) => void): void {
  const path = base === '' ? spec.id : `${base}/${spec.id}`;
  if (spec.type === 'worker') {
    if (spec.registeredName !== undefined) seen(spec.registeredName, { path, where });
    return;
  }
  spec.children.forEach((child, i) => collect(child, path, `${where === '' ? '' : `${where}.`}children.${i}`, seen));
}
