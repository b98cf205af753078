/** The `LiveChild` adapter of a nested supervisor, static or dynamic: a `SupervisorProcess` of its own. */
import type { NormalizedSupervisorChildSpec } from '../core/child-spec.js';
import { serializeError } from '../protocol/serialized-error.js';
import type { ChildStart, LiveChild, StartContext } from './live-child.js';
import type { SupervisorProcess } from './supervisor.js';

/** Starts a nested supervisor; resolves once all its children run (or it failed to start). */
export async function startSupervisorChild(spec: NormalizedSupervisorChildSpec, context: StartContext): Promise<ChildStart> {
  const sup = context.nest({
    name: spec.name ?? `${context.parentName}/${spec.id}`,
    path: context.path,
    flags: spec,
    children: spec.children,
    tree: context.tree,
    root: false,
    dynamic: spec.dynamic ?? null,
  });
  try {
    await sup.start();
  } catch (error) {
    return { status: 'failed', error: serializeError(error) };
  }
  return { status: 'started', child: supervisorChild(sup) };
}

/** Wraps a running nested supervisor as a `LiveChild`. */
export function supervisorChild(sup: SupervisorProcess): LiveChild {
  return {
    exited: sup.exited,
    stop(shutdown) {
      sup.stop();
      // Past its shutdown timeout the whole subtree is killed, as a worker's thread would be terminated.
      if (typeof shutdown === 'number' || shutdown === 'brutal_kill') {
        const ms = shutdown === 'brutal_kill' ? 0 : shutdown;
        const { clock } = sup.tree;
        const timer = clock.setTimer(() => sup.kill(ms), ms);
        void sup.exited.then(() => clock.clearTimer(timer));
      }
    },
    kill() {
      sup.kill(0);
    },
    threadIds: () => [],
    actor: undefined,
    supervisor: sup,
  };
}
