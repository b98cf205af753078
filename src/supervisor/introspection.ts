/**
 * What a supervisor tells about its children (OTP's `which_children`, `count_children`, and the whole
 * tree), built from its read-only query, beside the types it returns.
 */
import type { ChildStatus } from '../core/children.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { Strategy } from '../core/supervisor-flags.js';
import type { RestartType } from '../core/restart-decision.js';
import type { LiveChild } from './live-child.js';
import type { SupervisorQuery } from './query.js';
import type { PoolThreadInfo } from '../pool/types.js';

/** One child as `whichChildren()` lists it (OTP's `{Id, Child, Type, Modules}`). */
export interface ChildInfo {
  id: string;
  type: 'worker' | 'supervisor';
  status: ChildStatus;
  /** The thread of a running worker. */
  threadId?: number;
}

/** OTP's `count_children`. */
export interface ChildCounts {
  /** Child specs held, running or not. */
  specs: number;
  /** Children running now. */
  active: number;
  supervisors: number;
  workers: number;
}

/** One node of `tree()`: a child with its subtree. */
export interface TreeNode {
  id: string;
  type: 'worker' | 'supervisor';
  status: ChildStatus;
  restart: RestartType;
  /** Automatic restarts that completed over the child's lifetime. */
  restartCount: number;
  /** Present (and `true`) when the child is `significant` (auto-shutdown); readiness checks watch these. */
  significant?: true;
  threadId?: number;
  /** How long the current incarnation has run (ms), when running. */
  uptimeMs?: number;
  /** In how many ms a pending restart is due (status `restarting`). */
  nextRestartInMs?: number;
  lastExit?: ExitReason;
  /** For a supervisor child: its strategy and children, when it is running. */
  strategy?: Strategy;
  children?: TreeNode[];
  /** For a pool child, when it is running: its threads, what waits and what runs. */
  pool?: PoolNode;
}

/** A running pool as `tree()` shows it. */
export interface PoolNode {
  /** Its threads: each busy, idle or the spare, with how many jobs it runs. */
  threads: PoolThreadInfo[];
  /** Jobs waiting for a thread. */
  queued: number;
  /** Jobs running. */
  running: number;
  /** Dead letters held in memory. */
  deadLetters: number;
}

/** The root of `tree()`. */
export interface SupervisorTree {
  name: string;
  strategy: Strategy;
  phase: 'new' | 'starting' | 'running' | 'stopping' | 'exited';
  children: TreeNode[];
}

/** OTP's `which_children` of one supervisor, read through its query. */
export function whichChildren(q: SupervisorQuery): ChildInfo[] {
  return q.ids().map((id) => {
    const child = q.child(id)!;
    const info: ChildInfo = { id, type: child.spec.type, status: child.status };
    const threadId = soleThread(q.live(id));
    if (threadId !== undefined) info.threadId = threadId;
    return info;
  });
}

/** OTP's `count_children` of one supervisor, read through its query. */
export function countChildren(q: SupervisorQuery): ChildCounts {
  const counts: ChildCounts = { specs: 0, active: 0, supervisors: 0, workers: 0 };
  for (const id of q.ids()) {
    const child = q.child(id)!;
    counts.specs += 1;
    if (child.status === 'running') counts.active += 1;
    if (child.spec.type === 'supervisor') counts.supervisors += 1;
    else counts.workers += 1;
  }
  return counts;
}

/** The tree below a supervisor as `tree()` returns it, at monotonic time `now` (ms). */
export function treeSnapshot(sup: { name: string; query: SupervisorQuery }, now: number): SupervisorTree {
  return { name: sup.name, strategy: sup.query.strategy, phase: sup.query.phase, children: nodes(sup.query, now) };
}

function nodes(q: SupervisorQuery, now: number): TreeNode[] {
  return q.ids().map((id) => {
    const child = q.child(id)!;
    const { spec } = child;
    const node: TreeNode = { id, type: spec.type, status: child.status, restart: spec.restart, restartCount: child.restartCount };
    if (spec.significant) node.significant = true;
    const live = q.live(id);
    const threadId = soleThread(live);
    if (threadId !== undefined) node.threadId = threadId;
    const pool = live?.pool;
    if (pool !== undefined) {
      const stats = pool.stats();
      node.pool = { threads: pool.threads(), queued: stats.queued, running: stats.running, deadLetters: pool.deadLetters.size };
    }
    if (child.status === 'running' && child.startedAt !== undefined) node.uptimeMs = Math.max(0, now - child.startedAt);
    if (child.status === 'restarting' && child.dueAt !== undefined) node.nextRestartInMs = Math.max(0, child.dueAt - now);
    if (child.lastExit !== undefined) node.lastExit = child.lastExit;
    if (spec.type === 'supervisor') node.strategy = spec.strategy;
    const nested = live?.supervisor;
    if (nested !== undefined) node.children = nodes(nested.query, now);
    return node;
  });
}

/** The thread of a child that runs on exactly one (a worker); none for a supervisor or a pool (`pool.threads` lists a pool's). */
function soleThread(live: LiveChild | undefined): number | undefined {
  if (live?.pool !== undefined) return undefined;
  const threads = live?.threadIds();
  return threads?.length === 1 ? threads[0] : undefined;
}
