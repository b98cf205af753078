import type { Logger } from 'pino';
import { isNormalExit } from '../protocol/exit-reason.js';
import type { ReportConsumer } from './delivered-report.js';
import { logReport, offender } from './logger.js';

/** The consumer that writes OTP-shaped pino records (`{supervisor, context, reason, offender}`) from reports. */
export function logReports(logger: Logger): ReportConsumer {
  return function log({ supervisor, threadId, report: r }) {
    switch (r.type) {
      case 'child_started':
        return logReport(logger, supervisor, 'progress', null, offender(r.spec, threadId), `started ${r.id}`);
      case 'child_exited': {
        const who = offender(r.spec);
        if (r.requested) {
          if (r.reason.kind === 'killed') logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} did not stop within its shutdown timeout and was killed`);
          else if (!isNormalExit(r.reason)) logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} failed while stopping`);
        } else if (!isNormalExit(r.reason)) {
          logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} crashed`);
        } else {
          logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} exited`);
        }
        return;
      }
      case 'child_start_failed':
        return logReport(logger, supervisor, 'start_error', r.reason, offender(r.spec), `child ${r.id} failed to start`);
      case 'restart_scheduled':
        if (r.delayMs > 0) logger.warn({ supervisor, context: 'backoff', children: r.children, delayMs: r.delayMs, attempt: r.attempt }, `restarting ${r.children.join(', ')} in ${r.delayMs} ms`);
        return;
      case 'intensity_exceeded':
        return logReport(logger, supervisor, 'shutdown', { kind: 'max_intensity', supervisor, maxRestarts: r.maxRestarts, periodMs: r.periodMs, lastReason: r.reason }, null,
          `supervisor ${supervisor} would exceed its restart intensity (${r.maxRestarts} in ${r.periodMs} ms) and shuts down`);
      default:
        return;
    }
  };
}
