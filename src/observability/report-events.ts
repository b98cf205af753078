import type { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import type { SupervisorEvents } from './events.js';
import type { ReportConsumer } from './delivered-report.js';
import { contain } from './contain.js';

/**
 * The consumer that turns reports into the tree's typed events. Each emit is contained on its own, so a
 * throwing `child:started` listener cannot cost `child:restarted` its turn.
 */
export function emitReports(emitter: EventEmitter<SupervisorEvents>, logger: Logger): ReportConsumer {
  return function events({ supervisor, root, threadId, report: r }) {
    const emit = <E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void =>
      contain(logger, supervisor, event, () => (emitter.emit as (e: E, p: unknown) => boolean)(event, payload));
    switch (r.type) {
      case 'child_started': {
        const base = { supervisor, id: r.id, restartCount: r.restartCount, ...(threadId === undefined ? {} : { threadId }) };
        emit('child:started', { ...base, restart: r.restart });
        if (r.restart) emit('child:restarted', base);
        return;
      }
      case 'child_exited':
        return emit('child:exited', { supervisor, id: r.id, reason: r.reason, requested: r.requested });
      case 'child_start_failed':
        return emit('child:start_failed', { supervisor, id: r.id, reason: r.reason });
      case 'restart_scheduled':
        return emit('restart:scheduled', { supervisor, trigger: r.trigger, children: r.children, delayMs: r.delayMs, attempt: r.attempt });
      case 'intensity_exceeded':
        return emit('intensity:exceeded', { supervisor, trigger: r.trigger, reason: r.reason, maxRestarts: r.maxRestarts, periodMs: r.periodMs });
      case 'supervisor_exited':
        if (r.reason.kind === 'max_intensity') emit('escalated', { supervisor, reason: r.reason, root });
        return emit('supervisor:stopped', { supervisor, reason: r.reason });
      default:
        return;
    }
  };
}
