/**
 * The `LiveChild` adapter of a pool: a `PoolEngine` owning its threads. To the core it is one worker
 * child: it starts when its first threads serve, stops by draining within its `shutdown`, and exits
 * `max_intensity` when its threads die too often for reasons no job explains (a crash its supervisor
 * handles by its strategy). Its dead letters outlive its incarnations: they are kept per path in the tree.
 */
import type { DeadLetterSink, NormalizedWorkerChildSpec, PoolFields } from '../core/child-spec.js';
import { StartError } from '../errors.js';
import { serializeError } from '../protocol/serialized-error.js';
import { DeadLetters } from '../pool/dead-letters.js';
import { PoolEngine } from '../pool/pool.js';
import { poolSettings } from '../pool/start-pool.js';
import type { ChildStart, LiveChild, StartContext } from './live-child.js';

/** Starts a pool child (a worker child spec with a `pool` field). */
export async function startPoolChild(spec: NormalizedWorkerChildSpec & { pool: PoolFields }, context: StartContext): Promise<ChildStart> {
  const { path, tree } = context;
  let box = tree.deadLetterBoxes.get(path);
  if (box === undefined) {
    box = new DeadLetters(spec.pool.deadLetterCapacity, spec.pool.deadLetters as DeadLetterSink | undefined);
    tree.deadLetterBoxes.set(path, box);
  }
  const settings = poolSettings(
    {
      ...spec.pool, module: spec.module, args: spec.args, name: spec.name, resourceLimits: spec.resourceLimits, env: spec.env,
      execArgv: spec.execArgv, heartbeatMs: spec.heartbeatMs, startTimeoutMs: spec.startTimeoutMs,
    },
    { name: spec.name ?? path, path, backoff: spec.backoff ?? null, shutdown: spec.shutdown, logger: tree.logger, random: tree.random },
  );
  settings.deadLetterBox = box;
  const engine = new PoolEngine(settings);
  // Thread deaths reach the tree's report consumers (crash reporters, Prometheus) as the parent's reports.
  const parentPath = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  engine.events.on('thread:exited', (e) => {
    tree.reports.deliver({
      supervisor: context.parentName, path: parentPath, root: parentPath === '', at: tree.clock.now(), threadId: e.threadId,
      report: { type: 'pool_thread_exited', id: spec.id, module: String(spec.module), threadId: e.threadId, reason: e.reason, attributed: e.attributed, jobs: e.jobs },
    });
  });
  try {
    await engine.start();
  } catch (error) {
    if (!(error instanceof StartError)) return { status: 'failed', error: serializeError(error) };
    return error.threadId === undefined ? { status: 'failed', error: error.error } : { status: 'failed', error: error.error, threadId: error.threadId };
  }
  return { status: 'started', child: poolChild(engine) };
}

function poolChild(engine: PoolEngine): LiveChild {
  return {
    exited: engine.exited,
    stop(shutdown) {
      void engine.stop(shutdown);
    },
    kill(afterMs) {
      engine.kill(afterMs);
    },
    threadIds: () => engine.threadIds(),
    actor: undefined,
    supervisor: undefined,
    pool: engine,
  };
}
