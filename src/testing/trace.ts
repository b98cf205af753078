import type { Report } from '../core/events.js';
import type { ChildPath, TraceEvent } from './types.js';

/**
 * The trace event a supervisor report stands for, or `null` for reports a trace leaves out (ignored
 * children, removals, cancellations). The simulator and the real-thread recorder both use it, so their
 * traces compare event by event.
 */
export function toTraceEvent(sup: ChildPath, r: Report, t: number): TraceEvent | null {
  switch (r.type) {
    case 'child_starting':
      return { t, sup, type: 'start', child: r.id };
    case 'child_started':
      return { t, sup, type: 'started', child: r.id };
    case 'child_start_failed':
      return { t, sup, type: 'start_failed', child: r.id };
    case 'child_stopping':
      return { t, sup, type: 'stop', child: r.id };
    case 'child_exited':
      return { t, sup, type: 'exited', child: r.id, reason: r.reason.kind };
    case 'restart_scheduled':
      return { t, sup, type: 'restart_scheduled', children: r.children, delayMs: r.delayMs };
    case 'intensity_exceeded':
      return { t, sup, type: 'intensity_exceeded' };
    case 'supervisor_exited':
      return { t, sup, type: 'supervisor_exited', reason: r.reason.kind };
    case 'child_ignored':
    case 'child_removed':
    case 'restart_cancelled':
    case 'pool_thread_exited':
      return null;
  }
}
