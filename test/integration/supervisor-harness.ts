// Shared by the supervisor integration tests: a silent logger, event waiters, and a tracker that stops
// every tree a test started and proves no thread outlived it.
import { afterEach, expect } from '@jest/globals';
import { pino } from 'pino';
import { startSupervisor, type Supervisor, type SupervisorSpec, type SupervisorEvents } from '../../src/index.js';
import { fixture, threadsAlive } from './worker-harness.js';

export { fixture };

/** Crash reports are asserted where they matter; elsewhere they would only clutter the test output. */
export const silent = pino({ level: 'silent' });

/** Resolves with the first `event` for which `match` holds (no sleeps: the event is the proof). */
export function next<E extends keyof SupervisorEvents>(sup: Supervisor, event: E, match: (e: Parameters<SupervisorEvents[E]>[0]) => boolean = () => true): Promise<Parameters<SupervisorEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = ((e: Parameters<SupervisorEvents[E]>[0]) => {
      if (!match(e)) return;
      sup.off(event, listener);
      resolve(e);
    }) as SupervisorEvents[E];
    sup.on(event, listener);
  });
}

/** Starts trees for one test file; after each test stops what is left and checks no thread survived. */
export function useTrees(): (spec: SupervisorSpec) => Promise<Supervisor> {
  const trees = new Set<Supervisor>();
  afterEach(async () => {
    await Promise.all([...trees].map((t) => t.stop()));
    trees.clear();
    expect(await threadsAlive()).toBe(0);
  });
  return async (spec) => {
    const sup = await startSupervisor(spec, { logger: silent });
    trees.add(sup);
    return sup;
  };
}
