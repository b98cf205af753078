/**
 * The unit every report consumer receives: one core report with what only the shell knows (which
 * supervisor made it, when, and the thread of the incarnation it is about).
 */
import type { Report } from '../core/events.js';

/** One supervisor report, as the shell delivers it to every consumer of the tree. */
export interface DeliveredReport {
  /** The supervisor's name (`'root'`, `'root/jobs'`): what events and logs call it. */
  supervisor: string;
  /** Where the supervisor sits: `''` for the root, then child ids joined by `/` (`'jobs'`). */
  path: string;
  /** Whether the supervisor is its tree's root. */
  root: boolean;
  /** When the report was made: the tree clock's monotonic time, in ms. */
  at: number;
  /**
   * The thread of a child running on one thread (a worker): for `child_started` the incarnation that
   * started, for `child_exited` the one that ended, for `child_start_failed` the thread the failed start
   * ran in (when one was spawned).
   */
  threadId?: number;
  /** What the supervisor observed or decided. */
  report: Report;
}

/**
 * Sees every report of every supervisor of a tree, synchronously, as it happens. Logging, events and
 * counters are consumers; pass more with the `reporters` start option (crash reports, prom-client
 * metrics). One that throws is caught and logged (`listener_error`): it never breaks supervision.
 *
 * @example
 * const crashes: ReportConsumer = ({ supervisor, report }) => {
 *   if (report.type === 'child_exited' && !report.requested) console.log(supervisor, report.id, report.reason.kind);
 * };
 * await startSupervisor(spec, { reporters: [crashes] });
 */
export type ReportConsumer = (delivered: DeliveredReport) => void;
