import type { SupervisorChildSpec, WorkerChildSpec } from '../core/child-spec.js';

/**
 * Builds a worker child spec (adds `type: 'worker'`).
 *
 * @example
 * worker({ id: 'counter', module: new URL('./counter.worker.js', import.meta.url), args: { start: 1 } })
 */
export function worker(spec: Omit<WorkerChildSpec, 'type'>): WorkerChildSpec {
  return { ...spec, type: 'worker' };
}

/**
 * Builds a nested supervisor child spec (adds `type: 'supervisor'`).
 *
 * @example
 * supervisor({ id: 'jobs', strategy: 'rest_for_one', children: [worker({ id: 'queue', module })] })
 */
export function supervisor(spec: Omit<SupervisorChildSpec, 'type'>): SupervisorChildSpec {
  return { ...spec, type: 'supervisor' };
}
