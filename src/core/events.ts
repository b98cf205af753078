import type { ExitReason } from '../protocol/exit-reason.js';
import type { NormalizedChildSpec, Shutdown } from './child-spec.js';

/** Everything that can happen to a supervisor, as data fed to `step`. */
export type SupervisorInput =
  /** Start the children in order (once, right after creation). */
  | { type: 'init' }
  /** A child the supervisor was starting is now running. */
  | { type: 'started'; id: string }
  /** A child the supervisor was starting failed to start (`reason.kind === 'start_failed'`). */
  | { type: 'start_failed'; id: string; reason: ExitReason }
  /** A worker's `init` declined to start (OTP's `ignore`). */
  | { type: 'ignored'; id: string }
  /** A child exited, asked to or not. Exactly one per started incarnation. */
  | { type: 'exited'; id: string; reason: ExitReason }
  /** A timer the core scheduled is due. */
  | { type: 'timer'; key: number }
  /** Stop the supervisor (its `stop()`, or its parent's shutdown). */
  | { type: 'stop' }
  /** Management requests; each is answered by exactly one `reply` effect carrying `request`. */
  | { type: 'start_child'; request: number; spec: NormalizedChildSpec }
  | { type: 'terminate_child'; request: number; id: string }
  | { type: 'restart_child'; request: number; id: string }
  | { type: 'delete_child'; request: number; id: string };

/** The answer to a management request. `error` carries OTP's reason (`not_found`, `running`, ...). */
export type ManagementResult =
  | { ok: true }
  | { ok: false; error: 'not_found' | 'running' | 'restarting' | 'already_present' | 'max_children' | 'stopped' }
  | { ok: false; error: 'start_failed'; reason: ExitReason };

/**
 * What the supervisor observed or decided, for events, logs, metrics and test traces. Reports about a
 * child carry its spec: by the time a report is read the child may already be gone (a temporary one).
 */
export type Report =
  | { type: 'child_starting'; id: string; restart: boolean }
  | { type: 'child_started'; id: string; spec: NormalizedChildSpec; restart: boolean; restartCount: number }
  | { type: 'child_start_failed'; id: string; spec: NormalizedChildSpec; reason: ExitReason }
  | { type: 'child_ignored'; id: string }
  | { type: 'child_stopping'; id: string; shutdown: Shutdown }
  /** `requested` is true when the supervisor had asked the child to stop. */
  | { type: 'child_exited'; id: string; spec: NormalizedChildSpec; reason: ExitReason; requested: boolean }
  /** `trigger` is the child whose exit or failed start caused it; `children` restart in this order. */
  | { type: 'restart_scheduled'; trigger: string; children: string[]; delayMs: number; attempt: number; dueAt: number }
  | { type: 'restart_cancelled'; children: string[] }
  | { type: 'child_removed'; id: string }
  | { type: 'intensity_exceeded'; trigger: string; reason: ExitReason; maxRestarts: number; periodMs: number }
  | { type: 'supervisor_exited'; reason: ExitReason }
  /**
   * A thread of pool child `id` died without being asked to (the pool's adapter reports it; the core
   * decides nothing about it). `attributed`: jobs were running on it, so the death is theirs (they are
   * redelivered or dead-lettered) and does not count toward any intensity.
   */
  | { type: 'pool_thread_exited'; id: string; module: string; threadId: number; reason: ExitReason; attributed: boolean; jobs: number };

/** What `step` asks the shell (or the simulator) to do, in order. */
export type Effect =
  /** Start this child; answer with `started`, `start_failed` or `ignored`. */
  | { type: 'start'; id: string; spec: NormalizedChildSpec }
  /**
   * Ask this child to stop within `shutdown`; answer with its `exited`. A worker's host enforces the
   * timeout itself; a nested supervisor's timeout is the core's own `schedule` plus `kill`.
   */
  | { type: 'stop'; id: string; shutdown: Shutdown }
  /**
   * End this child supervisor and its whole subtree now, without waiting for an orderly stop: its
   * shutdown timeout of `afterMs` passed (0: `brutal_kill`). Answer with its `exited`, reason
   * `{ kind: 'killed', afterMs }`.
   */
  | { type: 'kill'; id: string; afterMs: number }
  /** Feed `{type:'timer', key}` back after `delayMs` (0 still goes through the mailbox). */
  | { type: 'schedule'; key: number; delayMs: number }
  /** Drop a scheduled timer; a stale `timer` input for it is ignored anyway. */
  | { type: 'cancel'; key: number }
  | { type: 'reply'; request: number; result: ManagementResult }
  /** Every child of the initial start is running (or ignored): the supervisor's start resolves. */
  | { type: 'ready' }
  /** The supervisor is done: every child has stopped and nothing is pending. */
  | { type: 'exit'; reason: ExitReason; failedChild?: string }
  | { type: 'report'; report: Report };
