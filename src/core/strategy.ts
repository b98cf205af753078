import type { Children } from './children.js';
import type { Strategy } from './supervisor-flags.js';

/** Which children a restart touches: `stop` in that order (reverse start order), then `start` in order. */
export interface RestartPlan {
  stop: string[];
  start: string[];
}

/**
 * One exhaustive switch over OTP's strategies. `failed` is the child whose exit (or failed start) caused
 * the restart. Temporary children never join a restart group; temporary siblings that are running are
 * still stopped (and then removed by the caller).
 */
export function restartPlan(strategy: Strategy, children: Children, failed: string): RestartPlan {
  const isRestartable = (id: string) => id === failed || children.get(id)!.spec.restart !== 'temporary';
  const isRunning = (id: string) => {
    const status = children.get(id)!.status;
    return status === 'running' || status === 'starting';
  };
  switch (strategy) {
    case 'one_for_one':
      return { stop: [], start: [failed] };
    case 'one_for_all': {
      const others = children.order.filter((id) => id !== failed);
      return { stop: others.filter(isRunning).reverse(), start: children.order.filter(isRestartable) };
    }
    case 'rest_for_one': {
      const later = children.after(failed);
      return { stop: later.filter(isRunning).reverse(), start: [failed, ...later.filter(isRestartable)] };
    }
  }
}
