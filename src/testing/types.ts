/**
 * The shared vocabulary of the deterministic test kit: fault schedules go in, traces come out. The
 * simulator (driving `src/core/`) and the independent reference model both speak it, so their traces can
 * be compared event by event.
 */
import type { ExitReasonKind } from '../protocol/exit-reason.js';

/**
 * Where a child sits in the tree: the ids from the root's children down, joined by `/`
 * (`'db'`, `'jobs/w1'`). The root supervisor itself is `''`.
 */
export type ChildPath = string;

/** Reasons a simulated crash can carry (the abnormal kinds a worker thread produces, plus `shutdown`). */
export type SimulatedCrashReason = 'error' | 'exit' | 'oom' | 'killed' | 'shutdown';

/**
 * One fault, injected at a virtual time, aimed at a worker of the tree by its path. A fault aimed at a
 * worker that is not running when it fires does nothing; one whose path names no worker of the tree is
 * refused by `simulate()` before it runs (`InvalidSpecError`).
 */
export type Fault =
  /** The running worker exits with this reason (`shutdown` here means it stopped itself with `{shutdown, _}`). */
  | { at: number; path: ChildPath; fault: 'crash'; reason: SimulatedCrashReason }
  /** The running worker ends itself normally. */
  | { at: number; path: ChildPath; fault: 'exit_normal' }
  /**
   * The running worker's thread blocks: it exits `hung` once the heartbeat detects it (`hangDetectMs`
   * after the hang). It ignores stop requests: asked to stop with a numeric `shutdown` it is `killed` at
   * that timeout (the heartbeat no longer judges a thread asked to stop); with `infinity` the heartbeat
   * still ends it `hung`. A hang aimed at a worker already stopping does nothing; a crash still ends a
   * hung worker.
   */
  | { at: number; path: ChildPath; fault: 'hang' }
  /** Sets how many of this worker's next start attempts fail (`start_failed`); a failed start still takes its start time. */
  | { at: number; path: ChildPath; fault: 'fail_starts'; count: number }
  /** From now on, starting this worker takes `ms` virtual ms. */
  | { at: number; path: ChildPath; fault: 'slow_start'; ms: number }
  /** From now on, an orderly stop of this worker takes `ms` virtual ms (past its shutdown timeout it is `killed`). */
  | { at: number; path: ChildPath; fault: 'slow_stop'; ms: number }
  /**
   * Not a fault of the worker but a request to its supervisor: `terminateChild(id)` on the current
   * incarnation of the supervisor at the path's parent, as a management request arriving then (it waits
   * behind an operation in progress like any input; a supervisor that is not running ignores it). It stops
   * the worker if it runs, or cancels the pending restart of its whole group if it waits for one.
   */
  | { at: number; path: ChildPath; fault: 'terminate_child' };

/** One step of a trace, stamped with virtual time; `sup` is the path of the supervisor that saw it. */
export type TraceEvent =
  /** The supervisor begins starting `child`. */
  | { t: number; sup: ChildPath; type: 'start'; child: string }
  /** The child is running (a worker's `init` returned; a supervisor started all its children). */
  | { t: number; sup: ChildPath; type: 'started'; child: string }
  /** Starting the child failed. */
  | { t: number; sup: ChildPath; type: 'start_failed'; child: string }
  /** The supervisor asks `child` to stop. */
  | { t: number; sup: ChildPath; type: 'stop'; child: string }
  /** The supervisor saw `child` exit, for whatever reason (asked to or not). */
  | { t: number; sup: ChildPath; type: 'exited'; child: string; reason: ExitReasonKind }
  /** A restart of `children` (in start order) was decided; it runs after `delayMs`. */
  | { t: number; sup: ChildPath; type: 'restart_scheduled'; children: string[]; delayMs: number }
  /** The supervisor's restart intensity was exceeded; it stops its children and exits `max_intensity`. */
  | { t: number; sup: ChildPath; type: 'intensity_exceeded' }
  /** The supervisor itself has exited (all of its children stopped). */
  | { t: number; sup: ChildPath; type: 'supervisor_exited'; reason: ExitReasonKind };

/** Knobs of a simulation run. */
export interface SimulationOptions {
  /** Seeds backoff jitter; the same seed gives the same run. @default 1 */
  seed?: number;
  /** Virtual ms between a hang and its detection by the heartbeat. @default 2000 */
  hangDetectMs?: number;
  /**
   * Run until this virtual time, then `stop()` the root (stopping is part of the trace). A fault after it
   * would never fire, so `simulate()` refuses it. @default last fault + 60000
   */
  untilMs?: number;
}
