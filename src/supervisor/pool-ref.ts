/**
 * `tree.pool(path)`: a reference that names a pool child, not an incarnation. Each `run` finds the pool
 * running there now; while the pool is restarting the job waits for the next incarnation within its
 * `timeoutMs` (else 5000 ms), as a worker ref's call does, then rejects with `ChildUnavailableError`
 * (the job was never sent, so retrying is safe). A path naming nothing rejects with
 * `ChildNotFoundError`, a path naming a worker or a supervisor with `ChildKindError`.
 */
import { ChildKindError, ChildNotFoundError, ChildUnavailableError } from '../errors.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import type { DeadLetter } from '../protocol/dead-letter.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../runtime/settings.js';
import { EventEmitter } from 'eventemitter3';
import type { Pool, PoolEvents, PoolRef, PoolStats, PoolThreadInfo } from '../pool/types.js';
import { findChild, waitForChild, type Probe } from './child-ref.js';
import type { SupervisorProcess } from './supervisor.js';

/** Builds the ref `tree.pool(path)` returns. */
export function poolRef<J = AnyJobs>(root: SupervisorProcess, path: string): PoolRef<J> {
  /** The pool running there now, or whether one may come (`wait`) or never can (`never`, with its error when precise). */
  const probe = (): Probe<Pool> => {
    const found = findChild(root, path, 'tree.pool() reaches pools only');
    if (found.kind === 'never') {
      if (found.missing !== undefined) return { kind: 'never', why: found.why, error: new ChildNotFoundError(found.missing.child, { supervisor: found.missing.supervisor }) };
      if (found.isSupervisor === true) return { kind: 'never', why: found.why, error: new ChildKindError(path, 'a pool', 'a supervisor') };
      return found;
    }
    if (found.spec.type !== 'worker' || found.spec.pool === undefined) {
      return { kind: 'never', why: 'a worker', error: new ChildKindError(path, `a pool (reach a worker with tree.ref('${path}'))`, 'a worker') };
    }
    const pool = found.live?.pool;
    // An incarnation that has begun to end (max_intensity) is still the live child until its supervisor
    // hears of it: a job waits for the next one rather than be refused by this one.
    if (pool === undefined || !pool.accepting) return { kind: 'wait', status: pool === undefined ? `pool '${path}' is ${found.status}` : `pool '${path}' is ending` };
    return { kind: 'ready', value: pool };
  };
  /** For reads that cannot wait: the pool, or an error. */
  const current = (what: string): Pool => {
    const found = probe();
    if (found.kind === 'ready') return found.value;
    if (found.kind === 'never' && found.error !== undefined) throw found.error;
    throw new ChildUnavailableError(path, `no running pool to ${what} (${found.kind === 'wait' ? found.status : found.why})`);
  };
  const box = (): { list(): DeadLetter[]; drain(): DeadLetter[]; size: number } => root.tree.deadLetterBoxes.get(path) ?? EMPTY_BOX;
  const ref = {
    run(handler: string, ...args: unknown[]): Promise<unknown> {
      const found = probe();
      if (found.kind === 'ready') return (found.value.run as (h: string, ...a: unknown[]) => Promise<unknown>)(handler, ...args);
      if (found.kind === 'never') return Promise.reject(found.error ?? new ChildUnavailableError(path, `no running pool to run '${handler}' on (${found.why})`));
      // Restarting: the job waits for the next incarnation within its budget, as a worker ref's call does.
      return waitForChild(root, path, waitBudget(args), probe).then((pool) => (pool.run as (h: string, ...a: unknown[]) => Promise<unknown>)(handler, ...args));
    },
    stats(): PoolStats {
      return current('read').stats();
    },
    threads(): PoolThreadInfo[] {
      const found = probe();
      if (found.kind === 'never' && found.error !== undefined) throw found.error;
      return found.kind === 'ready' ? found.value.threads() : [];
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

/**
 * How long a job given while its pool restarts waits for the next incarnation, in ms: its own `timeoutMs`
 * when its last argument is run options with one, else the default call timeout (5000 ms: a job must not
 * wait forever for a pool that may be gone).
 */
function waitBudget(args: unknown[]): number {
  const last = args[args.length - 1] as { timeoutMs?: unknown } | undefined;
  if (typeof last === 'object' && last !== null && typeof last.timeoutMs === 'number' && last.timeoutMs > 0) return last.timeoutMs;
  return DEFAULT_CALL_TIMEOUT_MS;
}
