import type { ChildStatus } from '../core/children.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { Strategy } from '../core/supervisor-flags.js';
import type { RestartType } from '../core/restart-decision.js';

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
  threadId?: number;
  /** How long the current incarnation has run (ms), when running. */
  uptimeMs?: number;
  /** In how many ms a pending restart is due (status `restarting`). */
  nextRestartInMs?: number;
  lastExit?: ExitReason;
  /** For a supervisor child: its strategy and children, when it is running. */
  strategy?: Strategy;
  children?: TreeNode[];
}

/** The root of `tree()`. */
export interface SupervisorTree {
  name: string;
  strategy: Strategy;
  phase: 'new' | 'starting' | 'running' | 'stopping' | 'exited';
  children: TreeNode[];
}
