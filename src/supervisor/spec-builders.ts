import type { DynamicSupervisorChildSpec, SupervisorChildSpec, WorkerChildSpec } from '../core/child-spec.js';

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

/**
 * Builds a dynamic supervisor child spec (adds `type: 'dynamic_supervisor'`): Elixir's DynamicSupervisor
 * under a static supervisor. It starts empty; start children in it by path with
 * `sup.dynamicSupervisor(id).startChild(extraArgs)`, reach them with `sup.ref('<id>/child-1')`. Its
 * restarts use `one_for_one` and its own `maxRestarts`/`periodMs`; when they run out it exits
 * `max_intensity` and its parent decides, as for any child supervisor. Its parent restarts it empty.
 *
 * @example
 * supervisor({ id: 'app', children: [
 *   dynamicSupervisor({ id: 'sessions', maxChildren: 100, maxRestarts: 5, periodMs: 10_000,
 *     template: { module: new URL('./session.worker.js', import.meta.url), restart: 'transient' } }),
 * ] })
 */
export function dynamicSupervisor(spec: Omit<DynamicSupervisorChildSpec, 'type'>): DynamicSupervisorChildSpec {
  return { ...spec, type: 'dynamic_supervisor' };
}
