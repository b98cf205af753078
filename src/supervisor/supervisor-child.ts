/** The `LiveChild` adapter of a nested supervisor, static or dynamic: a `SupervisorProcess` of its own. */
import type { NormalizedSupervisorChildSpec } from '../core/child-spec.js';
import { nestedSupervisorName } from '../core/naming.js';
import { serializeError } from '../protocol/serialized-error.js';
import type { ChildStart, LiveChild, StartContext } from './live-child.js';
import type { SupervisorProcess } from './supervisor.js';

/** Starts a nested supervisor; resolves once all its children run (or it failed to start). */
export async function startSupervisorChild(spec: NormalizedSupervisorChildSpec, context: StartContext): Promise<ChildStart> {
  let sup: SupervisorProcess;
  try {
    sup = context.nest({
      name: nestedSupervisorName(context.parentName, spec),
      path: context.path,
      flags: spec,
      children: spec.children,
      tree: context.tree,
      root: false,
      dynamic: spec.dynamic ?? null,
    });
    await sup.start();
  } catch (error) {
    return { status: 'failed', error: serializeError(error) };
  }
  return { status: 'started', child: supervisorChild(sup) };
}

/** Wraps a running nested supervisor as a `LiveChild`. */
function supervisorChild(sup: SupervisorProcess): LiveChild {
  return {
    exited: sup.exited,
    // The core keeps a nested supervisor's shutdown timeout: it schedules the timer and sends a `kill`
    // effect when it runs out, so the shell and the simulator carry out one rule.
    stop() {
      sup.stop();
    },
    kill(afterMs) {
      sup.kill(afterMs);
    },
    threadIds: () => [],
    actor: undefined,
    supervisor: sup,
  };
}
