/**
 * A reference that names a child, not an incarnation: every call resolves the child's current actor, so
 * a ref taken once keeps working across restarts. A call made while the child is restarting waits for
 * the next incarnation until the call's timeout, then rejects with `ChildUnavailableError`.
 */
import type { ActorRef } from '../protocol/actor-ref.js';
import type { AnyWorker } from '../protocol/worker-definition.js';
import type { ActorHandle, CallOptions } from '../runtime/child-host.js';
import { createActorRef } from '../runtime/actor-ref.js';
import { ChildUnavailableError, SupervisorStoppedError } from '../errors.js';
import type { SupervisorProcess } from './supervisor.js';

const DEFAULT_CALL_TIMEOUT_MS = 5000;

/** Finds the actor a path (`'db'`, `'jobs/w1'`) names right now, walking nested supervisors. */
export function resolveActor(root: SupervisorProcess, path: string): ActorHandle | undefined {
  const parts = path.split('/');
  let sup: SupervisorProcess | undefined = root;
  for (const part of parts.slice(0, -1)) {
    sup = sup.supervisorOf(part);
    if (sup === undefined) return undefined;
  }
  const actor = sup.actorOf(parts[parts.length - 1]!);
  return actor?.alive ? actor : undefined;
}

/** Builds the ref `sup.ref(path)` returns: a typed ref whose target resolves the current incarnation per call. */
export function childRef<W = AnyWorker>(root: SupervisorProcess, path: string): ActorRef<W> {
  return createActorRef<W>({
    async call(method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
      const budget = options?.timeoutMs ?? defaultTimeout(root, path);
      if (specAt(root, path)?.type === 'supervisor') {
        // Waiting could never help: only workers answer calls.
        throw new ChildUnavailableError(path, `'${path}' is a supervisor, not a worker: refs reach workers only`);
      }
      const { clock } = root.tree;
      const started = clock.now();
      const actor = resolveActor(root, path) ?? (await waitForActor(root, path, budget));
      const left = budget === Infinity ? Infinity : Math.max(1, budget - (clock.now() - started));
      return actor.call(method, args, { timeoutMs: left });
    },
    cast(method: string, args: unknown[]): void {
      const actor = resolveActor(root, path);
      if (actor === undefined) {
        // A cast cannot wait; refusing loudly beats dropping it.
        throw new ChildUnavailableError(path, `no running incarnation to cast '${method}' to (${statusOf(root, path)})`);
      }
      actor.cast(method, args);
    },
  });
}

function waitForActor(root: SupervisorProcess, path: string, timeoutMs: number): Promise<ActorHandle> {
  const { emitter, clock } = root.tree;
  return new Promise<ActorHandle>((resolve, reject) => {
    let timer: unknown;
    const done = () => {
      emitter.off('child:started', onStarted);
      if (timer !== undefined) clock.clearTimer(timer);
    };
    const onStarted = () => {
      const actor = resolveActor(root, path);
      if (actor === undefined) return;
      done();
      resolve(actor);
    };
    emitter.on('child:started', onStarted);
    if (timeoutMs !== Infinity) {
      timer = clock.setTimer(() => {
        done();
        reject(new ChildUnavailableError(path, `no running incarnation within ${timeoutMs} ms (${statusOf(root, path)})`));
      }, timeoutMs);
    }
    // Nothing hangs: if the tree ends while we wait, the wait ends with it.
    void root.exited.then((reason) => {
      done();
      reject(new ChildUnavailableError(path, 'its supervision tree has stopped', { cause: new SupervisorStoppedError(root.name, reason) }));
    });
  });
}

function statusOf(root: SupervisorProcess, path: string): string {
  const parts = path.split('/');
  let sup: SupervisorProcess | undefined = root;
  for (const part of parts.slice(0, -1)) {
    const next: SupervisorProcess | undefined = sup.supervisorOf(part);
    if (next === undefined) return `supervisor '${part}' is ${sup.state.children.get(part)?.status ?? 'not found'}`;
    sup = next;
  }
  const rec = sup.state.children.get(parts[parts.length - 1]!);
  return rec === undefined ? 'not found' : `status: ${rec.status}`;
}

function specAt(root: SupervisorProcess, path: string) {
  const parts = path.split('/');
  let sup: SupervisorProcess | undefined = root;
  for (const part of parts.slice(0, -1)) sup = sup?.supervisorOf(part);
  return sup?.state.children.get(parts[parts.length - 1]!)?.spec;
}

function defaultTimeout(root: SupervisorProcess, path: string): number {
  const spec = specAt(root, path);
  return spec?.type === 'worker' && spec.callTimeoutMs !== undefined ? spec.callTimeoutMs : DEFAULT_CALL_TIMEOUT_MS;
}
