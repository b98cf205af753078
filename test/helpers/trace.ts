import type { TraceEvent } from '../../src/testing/types.js';

/** Renders a trace one event a line (`t sup: type child detail`), so expected traces read like logs. */
export function lines(trace: readonly TraceEvent[]): string[] {
  return trace.map((e) => {
    const sup = e.sup === '' ? '/' : e.sup;
    switch (e.type) {
      case 'exited':
        return `${e.t} ${sup}: exited ${e.child} ${e.reason}`;
      case 'restart_scheduled':
        return `${e.t} ${sup}: restart [${e.children.join(',')}] in ${e.delayMs}`;
      case 'intensity_exceeded':
        return `${e.t} ${sup}: intensity_exceeded`;
      case 'supervisor_exited':
        return `${e.t} ${sup}: supervisor_exited ${e.reason}`;
      default:
        return `${e.t} ${sup}: ${e.type} ${e.child}`;
    }
  });
}

/** Worker spec shorthand for simulated trees. */
export function w(id: string, extra: Record<string, unknown> = {}) {
  return { type: 'worker' as const, id, module: `sim:${id}`, ...extra };
}
