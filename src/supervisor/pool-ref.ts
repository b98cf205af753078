/**
 * `tree.pool(path)`: a reference that names a pool child, not an incarnation. Each `run` finds the pool
 * running there now; while the pool is restarting (or not there) the job is refused at once with
 * `ChildUnavailableError`, never queued for a pool that may not come back: a caller that wants to wait
 * retries, and the job was never sent, so retrying is safe.
 */
import { ChildUnavailableError } from '../errors.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import type { DeadLetter } from '../protocol/dead-letter.js';
import type { Pool, PoolRef, PoolStats } from '../pool/types.js';
import { findChild } from './child-ref.js';
import type { SupervisorProcess } from './supervisor.js';

/** Builds the ref `tree.pool(path)` returns. */
export function poolRef<J = AnyJobs>(root: SupervisorProcess, path: string): PoolRef<J> {
  const current = (): Pool | string => {
    const found = findChild(root, path, 'tree.pool() reaches pools only');
    if (found.kind === 'never') return found.why;
    if (found.spec.type !== 'worker' || found.spec.pool === undefined) return `'${path}' is a worker, not a pool: reach it with tree.ref('${path}')`;
    return found.live?.pool ?? `pool '${path}' is ${found.status}`;
  };
  const box = (): { list(): DeadLetter[]; drain(): DeadLetter[]; size: number } => root.tree.deadLetterBoxes.get(path) ?? EMPTY_BOX;
  const ref = {
    run(handler: string, ...args: unknown[]): Promise<unknown> {
      const pool = current();
      if (typeof pool === 'string') return Promise.reject(new ChildUnavailableError(path, `no running pool to run '${handler}' on (${pool})`));
      return (pool.run as (h: string, ...a: unknown[]) => Promise<unknown>)(handler, ...args);
    },
    stats(): PoolStats {
      const pool = current();
      if (typeof pool === 'string') throw new ChildUnavailableError(path, `no running pool to read (${pool})`);
      return pool.stats();
    },
    // The box outlives the pool's incarnations, so it reads even while the pool restarts.
    deadLetters: {
      list: () => box().list(),
      drain: () => box().drain(),
      get size() {
        return box().size;
      },
    },
  };
  return ref as unknown as PoolRef<J>;
}

const EMPTY_BOX = { list: (): DeadLetter[] => [], drain: (): DeadLetter[] => [], size: 0 };
