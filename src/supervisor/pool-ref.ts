/**
 * `tree.pool(path)`: a reference that names a pool child, not an incarnation. Each `run` finds the pool
 * running there now; while the pool is restarting (or not there) the job is refused at once with
 * `ChildUnavailableError`, never queued for a pool that may not come back: a caller that wants to wait
 * retries, and the job was never sent, so retrying is safe. A path naming nothing rejects with
 * `ChildNotFoundError`, a path naming a worker or a supervisor with `ChildKindError`.
 */
import { ChildKindError, ChildNotFoundError, ChildUnavailableError } from '../errors.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import type { DeadLetter } from '../protocol/dead-letter.js';
import { EventEmitter } from 'eventemitter3';
import type { Pool, PoolEvents, PoolRef, PoolStats, PoolThreadInfo } from '../pool/types.js';
import { findChild } from './child-ref.js';
import type { SupervisorProcess } from './supervisor.js';

/** Builds the ref `tree.pool(path)` returns. */
export function poolRef<J = AnyJobs>(root: SupervisorProcess, path: string): PoolRef<J> {
  /** The pool running there now, why there is none (a string: it may come back), or the error of a path that can never name one. */
  const current = (): Pool | string | Error => {
    const found = findChild(root, path, 'tree.pool() reaches pools only');
    if (found.kind === 'never') {
      if (found.missing !== undefined) return new ChildNotFoundError(found.missing.child, { supervisor: found.missing.supervisor });
      if (found.isSupervisor === true) return new ChildKindError(path, 'a pool', 'a supervisor');
      return found.why;
    }
    if (found.spec.type !== 'worker' || found.spec.pool === undefined) return new ChildKindError(path, `a pool (reach a worker with tree.ref('${path}'))`, 'a worker');
    return found.live?.pool ?? `pool '${path}' is ${found.status}`;
  };
  const box = (): { list(): DeadLetter[]; drain(): DeadLetter[]; size: number } => root.tree.deadLetterBoxes.get(path) ?? EMPTY_BOX;
  const ref = {
    run(handler: string, ...args: unknown[]): Promise<unknown> {
      const pool = current();
      if (pool instanceof Error) return Promise.reject(pool);
      if (typeof pool === 'string') return Promise.reject(new ChildUnavailableError(path, `no running pool to run '${handler}' on (${pool})`));
      return (pool.run as (h: string, ...a: unknown[]) => Promise<unknown>)(handler, ...args);
    },
    stats(): PoolStats {
      const pool = current();
      if (pool instanceof Error) throw pool;
      if (typeof pool === 'string') throw new ChildUnavailableError(path, `no running pool to read (${pool})`);
      return pool.stats();
    },
    threads(): PoolThreadInfo[] {
      const pool = current();
      if (pool instanceof Error) throw pool;
      return typeof pool === 'string' ? [] : pool.threads();
    },
    events: eventsAt(root, path),
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

/** The emitter every incarnation of the pool at `path` emits on (the pool child adapter uses the same one). */
function eventsAt(root: SupervisorProcess, path: string): EventEmitter<PoolEvents> {
  let events = root.tree.poolEvents.get(path);
  if (events === undefined) {
    events = new EventEmitter<PoolEvents>();
    root.tree.poolEvents.set(path, events);
  }
  return events;
}
