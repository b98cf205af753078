/**
 * A reference that names a child, not an incarnation: every call resolves the child's current actor, so
 * a ref taken once keeps working across restarts. A call made while the child is restarting waits for
 * the next incarnation until the call's timeout, then rejects with `ChildUnavailableError`; a call to a
 * child that cannot come back (unknown, stopped, a supervisor, or its tree has stopped) rejects at once.
 */
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker } from '../protocol/worker-definition.js';
import type { ActorHandle, CallOptions } from '../seams/child-host.js';
import { createActorRef } from '../runtime/actor-ref.js';
import { DEFAULT_CALL_TIMEOUT_MS, clampDelay } from '../runtime/settings.js';
import { CallTimeoutError, ChildKindError, ChildUnavailableError, SupervisorStoppedError, ThreadvisorError } from '../errors.js';
import { contain } from '../observability/contain.js';
import type { CallObserver } from '../observability/call-observer.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { SupervisorProcess } from './supervisor.js';
import type { LiveChild } from './live-child.js';

/** What a path names right now. */
type Lookup =
  /** A running incarnation to talk to. */
  | { kind: 'actor'; actor: ActorHandle }
  /** Nothing to talk to yet, but one may come (restarting, starting, exiting before a restart). */
  | { kind: 'wait'; status: string }
  /** Nothing to talk to, and waiting cannot help; `error` when a more precise error than unavailable fits. */
  | { kind: 'never'; why: string; error?: Error };

const WAITING = new Set(['running', 'starting', 'restarting', 'stopping']);

/**
 * The path a target names: a target without `/` that is a registered name of the tree resolves to its
 * child's path (names first, so a name is never shadowed by a root child id; spec checks refuse a name
 * equal to another root child's id); anything else is a path already.
 */
export function resolveTarget(root: SupervisorProcess, target: string): string {
  const path = root.tree.registry.names.get(target);
  if (path === undefined) return target;
  // The entry may be stale (its child deleted, or a failed startChild): the spec at the path decides.
  const spec = specAt(root, path);
  return spec?.type === 'worker' && spec.registeredName === target ? path : target;
}

/** Walks a registered name or a path (`'db'`, `'jobs/w1'`) through nested supervisors to what it names now. */
export function lookup(root: SupervisorProcess, target: string): Lookup {
  const path = resolveTarget(root, target);
  const found = findChild(root, path, 'refs reach workers only');
  if (found.kind === 'never') {
    // Waiting cannot turn a supervisor into a worker either: a typed kind error, as for a pool.
    return found.isSupervisor === true ? { ...found, error: new ChildKindError(path, `a worker (a supervisor's children are reached by their paths, e.g. '${path}/<id>')`, 'a supervisor') } : found;
  }
  if (found.spec.type === 'worker' && found.spec.pool !== undefined) {
    // Waiting cannot turn a pool into a worker: the path is of the wrong kind, not unavailable.
    return { kind: 'never', why: `'${path}' is a pool: run its jobs through tree.pool('${path}')`, error: new ChildKindError(path, `a worker (a pool's jobs run through tree.pool('${path}'))`, 'a pool') };
  }
  const actor = found.live?.actor;
  return actor?.alive ? { kind: 'actor', actor } : { kind: 'wait', status: found.status };
}

/** A child a path names: its spec, its live handle while it runs, and its status (or its supervisor's). */
export interface Found {
  kind: 'found';
  live: LiveChild | undefined;
  spec: NormalizedChildSpec;
  status: string;
}

/**
 * Walks the path through nested supervisors to the child it names: its live handle (while it runs) and
 * status, or why nothing there can ever answer. `reach` says, for a path that ends at a supervisor, what
 * the caller can reach instead.
 */
export function findChild(root: SupervisorProcess, path: string, reach: string): Found | { kind: 'never'; why: string; missing?: { child: string; supervisor: string }; isSupervisor?: true } {
  const parts = path.split('/');
  // A nested supervisor that is still starting its children is not yet its parent's running child, but
  // the children it has started already run: its registry entry reaches them (a bank whose init calls
  // the journal started before it, under the same supervisor).
  const parent = parts.length > 1 ? root.tree.registry.supervisorAt(parts.slice(0, -1).join('/')) : undefined;
  if (parent !== undefined && parent.exitReason === null && parent.query.phase !== 'stopping') {
    return walk(parent, parts, parts.length - 1, path, reach);
  }
  return walk(root, parts, 0, path, reach);
}

/** Walks `parts` from index `from`, starting at supervisor `sup`. */
function walk(sup: SupervisorProcess, parts: readonly string[], from: number, path: string, reach: string): ReturnType<typeof findChild> {
  for (let i = from; i < parts.length; i++) {
    const part = parts[i]!;
    const { query } = sup;
    if (query.exitReason !== null || query.phase === 'stopping') return { kind: 'never', why: `supervisor '${sup.name}' has stopped` };
    const child = query.child(part);
    if (child === undefined) return { kind: 'never', why: `no child '${part}' in supervisor '${sup.name}'`, missing: { child: part, supervisor: sup.name } };
    const last = i === parts.length - 1;
    if (last && child.spec.type === 'supervisor') return { kind: 'never', why: `'${path}' is a supervisor, not a worker: ${reach}`, isSupervisor: true };
    if (!last && child.spec.type !== 'supervisor') return { kind: 'never', why: `'${part}' is a worker, not a supervisor` };
    if (!WAITING.has(child.status)) return { kind: 'never', why: `'${part}' is ${child.status}` };
    const live = query.live(part);
    if (last) return { kind: 'found', live, spec: child.spec, status: child.status };
    const nested = live?.supervisor;
    if (nested === undefined) return { kind: 'found', live: undefined, spec: child.spec, status: `supervisor '${part}' is ${child.status}` };
    sup = nested;
  }
  return { kind: 'never', why: 'an empty path' };
}

/** Builds the ref `sup.ref(path)` returns: a typed ref whose target resolves the current incarnation per call. */
export function childRef<W = AnyWorker>(root: SupervisorProcess, path: string): ActorRef<W> {
  return createActorRef<W>({
    call(method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
      // Read per call, so a tree without an observer pays this one property read.
      const observe = root.tree.observeCall;
      if (observe === undefined) return callChild(root, path, method, args, options);
      return observed(root, path, method, () => callChild(root, path, method, args, options), observe);
    },
    cast(method: string, args: unknown[]): void {
      const found = lookup(root, path);
      if (found.kind !== 'actor') {
        // A cast cannot wait; refusing loudly beats dropping it.
        if (found.kind === 'never' && found.error !== undefined) throw found.error;
        const why = found.kind === 'never' ? found.why : `status: ${found.status}`;
        throw new ChildUnavailableError(path, `no running incarnation to cast '${String(method)}' to (${why})`);
      }
      found.actor.cast(method, args);
    },
  });
}

/** One call through a ref: find (or wait for) the current incarnation, then call it within the budget. */
function callChild(root: SupervisorProcess, path: string, method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
  const found = lookup(root, path);
  if (found.kind === 'never') return Promise.reject(found.error ?? new ChildUnavailableError(path, found.why));
  // The usual case, a running incarnation: the call goes straight to it, whose handle already applies the
  // child's own callTimeoutMs when the caller set none (one walk of the path per call, no allocation).
  if (found.kind === 'actor') return found.actor.call(method, args, options);
  return callAfterWait(root, path, method, args, options?.timeoutMs ?? defaultTimeout(root, resolveTarget(root, path)));
}

/**
 * A call made while the child restarts: the deadline counts the wait for the next incarnation, but the
 * caller set `budget`, so a timeout reports that figure (as startWorker's refs do), never the remainder.
 */
async function callAfterWait(root: SupervisorProcess, path: string, method: string, args: unknown[], budget: number): Promise<unknown> {
  const { clock } = root.tree;
  const started = clock.now();
  const actor = await waitForActor(root, path, budget);
  const left = budget === Infinity ? Infinity : Math.max(1, budget - (clock.now() - started));
  try {
    return await actor.call(method, args, { timeoutMs: left });
  } catch (error) {
    if (error instanceof CallTimeoutError && error.timeoutMs !== budget) throw new CallTimeoutError(error.method, budget);
    throw error;
  }
}

/** Times a call for the tree's call observer, which sees it settle and never changes its outcome. */
async function observed(root: SupervisorProcess, path: string, method: string, call: () => Promise<unknown>, observe: CallObserver): Promise<unknown> {
  const { clock, logger } = root.tree;
  const started = clock.now();
  let outcome = 'ok';
  try {
    return await call();
  } catch (error) {
    outcome = error instanceof ThreadvisorError ? error.code : 'error';
    throw error;
  } finally {
    const seen = { supervisor: root.name, path, method: String(method), durationMs: clock.now() - started, outcome };
    contain(logger, root.name, 'observeCall', () => observe(seen));
  }
}

/** Waits for the next incarnation; gives up at the timeout, or as soon as it can no longer come. */
export function waitForActor(root: SupervisorProcess, path: string, timeoutMs: number): Promise<ActorHandle> {
  return waitForChild(root, path, timeoutMs, () => {
    const found = lookup(root, path);
    return found.kind === 'actor' ? { kind: 'ready', value: found.actor } : found;
  });
}

/** What a path offers now, as `waitForChild` probes it. */
export type Probe<T> = { kind: 'ready'; value: T } | { kind: 'wait'; status: string } | { kind: 'never'; why: string; error?: Error };

/**
 * Waits until `probe` finds what `path` should offer (a worker's actor, a pool); gives up at the timeout,
 * or as soon as it can no longer come, rejecting with `ChildUnavailableError` (or the probe's error).
 */
export function waitForChild<T>(root: SupervisorProcess, path: string, timeoutMs: number, probe: () => Probe<T>): Promise<T> {
  const { watchers, clock } = root.tree;
  return new Promise<T>((resolve, reject) => {
    let timer: unknown;
    const done = () => {
      watchers.delete(onChange);
      stopWatchingExit();
      if (timer !== undefined) clock.clearTimer(timer);
    };
    const onChange = () => {
      const found = probe();
      if (found.kind === 'wait') return;
      done();
      if (found.kind === 'ready') resolve(found.value);
      else reject(found.error ?? new ChildUnavailableError(path, found.why));
    };
    // Every decision of any supervisor in the tree may bring the child back or settle it for good
    // (a restart, a transient exit kept stopped, terminateChild cancelling a pending restart).
    watchers.add(onChange);
    if (timeoutMs !== Infinity) {
      timer = clock.setTimer(() => {
        const found = probe();
        done();
        reject(new ChildUnavailableError(path, `no running incarnation within ${timeoutMs} ms (${found.kind === 'wait' ? `status: ${found.status}` : found.kind})`, { timeoutMs }));
      }, clampDelay(timeoutMs));
    }
    // Nothing hangs: if the tree ends while we wait, the wait ends with it.
    const stopWatchingExit = root.onExit((reason) => {
      done();
      reject(new ChildUnavailableError(path, 'its supervision tree has stopped', { cause: new SupervisorStoppedError(root.name, reason) }));
    });
  });
}

/** The call timeout of the worker at `path`: its spec's `callTimeoutMs`, else the default. */
export function defaultTimeout(root: SupervisorProcess, path: string): number {
  const spec = specAt(root, path);
  return spec?.type === 'worker' && spec.callTimeoutMs !== undefined ? spec.callTimeoutMs : DEFAULT_CALL_TIMEOUT_MS;
}

/**
 * The spec of the child at `path`, through running supervisors, and through the specs of one that is
 * restarting (its children are in its spec until it runs again); `undefined` when the path names nothing.
 */
export function specAt(root: SupervisorProcess, path: string): NormalizedChildSpec | undefined {
  const parts = path.split('/');
  let sup: SupervisorProcess | undefined = root;
  let specs: readonly NormalizedChildSpec[] | undefined;
  let spec: NormalizedChildSpec | undefined;
  for (const part of parts) {
    spec = sup !== undefined ? sup.query.child(part)?.spec : specs?.find((c) => c.id === part);
    if (spec === undefined) return undefined;
    sup = sup?.query.live(part)?.supervisor;
    specs = spec.type === 'supervisor' ? spec.children : undefined;
  }
  return spec;
}
