import type { SupervisionMetrics } from './metrics.js';
import type { ReportConsumer } from './delivered-report.js';
import { isNormalExit } from '../protocol/exit-reason.js';

/** The consumer that keeps a tree's counters (`metrics()`) from its reports. */
export function countReports(metrics: SupervisionMetrics): ReportConsumer {
  return function counters({ report: r }) {
    switch (r.type) {
      case 'child_started':
        metrics.childStarts += 1;
        if (r.restart) metrics.childRestarts += 1;
        return;
      case 'child_exited':
        if (r.requested) {
          if (r.reason.kind === 'killed') metrics.shutdownKills += 1;
          // Asked to stop, it ended badly anyway (terminate threw, it hung, it ran out of memory).
          else if (!isNormalExit(r.reason)) metrics.shutdownErrors += 1;
        } else if (!isNormalExit(r.reason)) metrics.childCrashes += 1;
        return;
      case 'child_start_failed':
        metrics.startFailures += 1;
        return;
      case 'restart_scheduled':
        metrics.restartsScheduled += 1;
        return;
      case 'intensity_exceeded':
        metrics.intensityExceeded += 1;
        return;
      default:
        return;
    }
  };
}
