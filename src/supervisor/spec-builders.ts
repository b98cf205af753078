import type { DynamicSupervisorChildSpec, PoolChildSpec, SupervisorChildSpec, TypedWorkerChildSpec, WorkerChildSpec } from '../core/child-spec.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import type { AnyWorker } from '../protocol/worker-definition.js';

/**
 * Builds a worker child spec (adds `type: 'worker'`). Give the worker's type (`worker<typeof Counter>`)
 * and `args` is checked against its `init`, as `startWorker<W>` and `sup.ref<W>` check theirs: required
 * when `init` requires an argument, refused when it takes none. Without it, `args` takes anything.
 *
 * @example
 * import type Counter from './counter.worker.js';
 * worker<typeof Counter>({ id: 'counter', module: new URL('./counter.worker.js', import.meta.url), args: { start: 1 } })
 */
export function worker<W = AnyWorker>(spec: TypedWorkerChildSpec<W>): WorkerChildSpec {
  // The worker's type only checks the input: a child spec is untyped data once built (children are mixed).
  return { ...spec, type: 'worker' } as WorkerChildSpec;
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
 * Give the worker's type (`dynamicSupervisor<typeof Session>`) and `template.args` is checked as a part
 * of its `init` args (`PartialInitArgs`): `startChild(extraArgs)` supplies the rest.
 *
 * @example
 * supervisor({ id: 'app', children: [
 *   dynamicSupervisor<typeof Session>({ id: 'sessions', maxChildren: 100, maxRestarts: 5, periodMs: 10_000,
 *     template: { module: new URL('./session.worker.js', import.meta.url), restart: 'transient' } }),
 * ] })
 */
export function dynamicSupervisor<W = AnyWorker>(spec: Omit<DynamicSupervisorChildSpec<W>, 'type'>): DynamicSupervisorChildSpec {
  return { ...spec, type: 'dynamic_supervisor' } as DynamicSupervisorChildSpec;
}

/**
 * Builds a pool child spec (adds `type: 'pool'`): `threads` threads of a job handler module, reached with
 * `tree.pool<typeof Jobs>(id)`. Give the module's type (`pool<typeof Jobs>`) and `args` is checked
 * against its `init`. Options and defaults: docs/pools.md.
 *
 * @example
 * import type Jobs from './resize.jobs.js';
 * supervisor({ id: 'media', children: [pool<typeof Jobs>({ id: 'resizers', module: new URL('./resize.jobs.js', import.meta.url), threads: 4 })] })
 */
export function pool<J = AnyJobs>(spec: Omit<PoolChildSpec<J>, 'type'>): PoolChildSpec {
  return { ...spec, type: 'pool' } as PoolChildSpec;
}
