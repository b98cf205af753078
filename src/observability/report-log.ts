import type { Logger } from 'pino';
import { formatExitReason, isNormalExit } from '../protocol/exit-reason.js';
import type { ReportConsumer } from './delivered-report.js';
import { logReport, offender } from './logger.js';

/**
 * The consumer that writes OTP-shaped pino records (`{supervisor, context, reason, offender}`) from reports.
 *
 * A crash (error level) is followed, once the supervisor has restarted the child, by an info record
 * `restarted <id> (restart N, after <reason>)`, so a log read from the bottom up says what happened: the
 * crash, then the restart it caused. The reason is remembered from the exit to the restart (the core's
 * `child_started` report does not repeat it), per supervisor and child, and forgotten when the restart
 * happens, is cancelled, or the child is removed.
 */
export function logReports(logger: Logger): ReportConsumer {
  /** The last unrequested exit (or failed start) of each child, until a restart is scheduled for it. */
  const lastExit = new Map<string, string>();
  /** Why each child waiting for its restart is restarted, until it starts. */
  const restartCause = new Map<string, string>();
  const key = (supervisor: string, id: string) => `${supervisor}\u0000${id}`;
  return function log({ supervisor, threadId, report: r }) {
    switch (r.type) {
      case 'child_started': {
        const who = offender(r.spec, threadId);
        if (!r.restart) return logReport(logger, supervisor, 'progress', null, who, `started ${r.id}`);
        const after = restartCause.get(key(supervisor, r.id));
        restartCause.delete(key(supervisor, r.id));
        return logReport(logger, supervisor, 'progress', null, who,
          `restarted ${r.id} (restart ${r.restartCount}${after === undefined ? '' : `, after ${after}`})`,
          after === undefined ? { restartCount: r.restartCount } : { restartCount: r.restartCount, after });
      }
      case 'child_exited': {
        const who = offender(r.spec, threadId);
        if (r.requested) {
          if (r.reason.kind === 'killed') logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} did not stop within its shutdown timeout and was killed`);
          else if (!isNormalExit(r.reason)) logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} failed while stopping`);
          return;
        }
        lastExit.set(key(supervisor, r.id), formatExitReason(r.reason));
        if (!isNormalExit(r.reason)) logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} crashed`);
        else logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} exited`);
        return;
      }
      case 'child_start_failed':
        lastExit.set(key(supervisor, r.id), formatExitReason(r.reason));
        return logReport(logger, supervisor, 'start_error', r.reason, offender(r.spec, threadId), `child ${r.id} failed to start`);
      case 'restart_scheduled': {
        const cause = lastExit.get(key(supervisor, r.trigger));
        lastExit.delete(key(supervisor, r.trigger));
        if (cause !== undefined) {
          // Siblings restarted with the trigger (one_for_all, rest_for_one) name the child that caused it.
          for (const id of r.children) restartCause.set(key(supervisor, id), id === r.trigger ? cause : `${r.trigger}: ${cause}`);
        }
        if (r.delayMs > 0) logger.warn({ supervisor, context: 'backoff', children: r.children, delayMs: r.delayMs, attempt: r.attempt }, `restarting ${r.children.join(', ')} in ${r.delayMs} ms`);
        return;
      }
      case 'restart_cancelled':
        for (const id of r.children) restartCause.delete(key(supervisor, id));
        return;
      case 'child_removed':
        lastExit.delete(key(supervisor, r.id));
        restartCause.delete(key(supervisor, r.id));
        return;
      case 'intensity_exceeded':
        return logReport(logger, supervisor, 'shutdown', { kind: 'max_intensity', supervisor, maxRestarts: r.maxRestarts, periodMs: r.periodMs, lastReason: r.reason }, null,
          `supervisor ${supervisor} would exceed its restart intensity (${r.maxRestarts} in ${r.periodMs} ms) and shuts down`);
      case 'supervisor_exited':
        for (const map of [lastExit, restartCause]) {
          for (const k of map.keys()) if (k.startsWith(`${supervisor}\u0000`)) map.delete(k);
        }
        return;
      default:
        return;
    }
  };
}
