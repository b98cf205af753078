/** The `LiveChild` adapter of a worker: one actor in one thread, reached through the child host. */
import type { ActorHandle } from '../seams/child-host.js';
import type { NormalizedWorkerChildSpec } from '../core/child-spec.js';
import { serializeError } from '../protocol/serialized-error.js';
import { StartError } from '../errors.js';
import type { ChildStart, LiveChild, StartContext } from './live-child.js';

/** Starts a worker child on the tree's host. */
export async function startWorkerChild(spec: NormalizedWorkerChildSpec, context: StartContext): Promise<ChildStart> {
  const { path } = context;
  const incarnation = (context.tree.incarnations.get(path) ?? 0) + 1;
  context.tree.incarnations.set(path, incarnation);
  try {
    const outcome = await context.tree.host.start({
      module: spec.module,
      args: spec.args,
      name: spec.name ?? spec.id,
      self: { path, incarnation },
      peers: context.tree.registry,
      ...(spec.resourceLimits === undefined ? {} : { resourceLimits: spec.resourceLimits }),
      ...(spec.env === undefined ? {} : { env: spec.env }),
      ...(spec.execArgv === undefined ? {} : { execArgv: spec.execArgv }),
      ...(spec.heartbeatMs === undefined ? {} : { heartbeatMs: spec.heartbeatMs }),
      ...(spec.startTimeoutMs === undefined ? {} : { startTimeoutMs: spec.startTimeoutMs }),
      ...(spec.callTimeoutMs === undefined ? {} : { callTimeoutMs: spec.callTimeoutMs }),
    });
    return outcome.status === 'ignored' ? { status: 'ignored' } : { status: 'started', child: workerChild(outcome.actor) };
  } catch (error) {
    // A worker's StartError already carries the worker's own error and stack; keep that, not our wrapper.
    if (!(error instanceof StartError)) return { status: 'failed', error: serializeError(error) };
    return error.threadId === undefined ? { status: 'failed', error: error.error } : { status: 'failed', error: error.error, threadId: error.threadId };
  }
}

/** Wraps a running actor as a `LiveChild`. */
function workerChild(actor: ActorHandle): LiveChild {
  return {
    exited: actor.exited,
    stop(shutdown) {
      void actor.stop({ kind: 'shutdown' }, { shutdown });
    },
    kill() {
      void actor.stop({ kind: 'killed' }, { shutdown: 'brutal_kill' });
    },
    threadIds: () => [actor.threadId],
    actor,
    supervisor: undefined,
  };
}
