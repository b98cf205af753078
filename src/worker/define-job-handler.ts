import { parentPort, workerData } from 'node:worker_threads';
import { render } from '../options/render.js';
import { readBootData } from '../protocol/boot-data.js';
import type { JobHandlerDefinition, JobHandlerSpec, JobHandlers } from '../protocol/job-definition.js';
import { installJobRuntime } from './job-runtime.js';

/**
 * Defines the job handlers a pool runs (`startPool`, or a `pool()` child in a tree). Export the result
 * as the module's default export; every thread of the pool loads the module and runs jobs by handler name.
 *
 * Handlers get `(ctx, ...args)`: `ctx` is the thread's actor context plus the job's `signal` (aborted on
 * the job's timeout or its caller's abort) and `job` (`{ id, delivery, handler }`). A handler that
 * throws or rejects fails its own job with `JobFailedError`; the thread keeps serving. A handler keeps
 * no state between jobs: that is what makes the per-job boundary safe (docs/pools.md). `init(args, ctx)`,
 * if given, runs once per thread before it takes jobs.
 *
 * Imported anywhere else (the main thread, a test) it only returns the definition, so the module can be
 * imported for its types (`startPool<typeof Jobs>`) or unit-tested without threads.
 *
 * @throws TypeError when `spec` is not `{ handlers: { name: function, ... }, init?: function }`.
 * @example
 * ```ts
 * // resize.jobs.ts
 * import { defineJobHandler } from 'threadvisor/worker';
 * export default defineJobHandler({
 *   handlers: {
 *     echo: (ctx, x: number) => x,
 *     resize: async (ctx, img: Uint8Array, width: number) => { ctx.signal.throwIfAborted(); return img.subarray(0, width); },
 *   },
 * });
 * ```
 */
export function defineJobHandler<H extends JobHandlers, A = undefined>(spec: JobHandlerSpec<H, A>): JobHandlerDefinition<H, A> {
  assertSpec(spec);
  const definition = Object.freeze({
    $threadvisor: 'jobs' as const,
    handlers: Object.freeze({ ...spec.handlers }),
    init: spec.init,
  });
  // Only a thread threadvisor started carries boot data (see defineWorker).
  const boot = readBootData(workerData);
  if (boot !== undefined) installJobRuntime(boot, boot.port ?? parentPort);
  return definition;
}

function assertSpec(spec: unknown): void {
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(`defineJobHandler(spec): expected an object with handlers (and init); given ${render(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  if (s.init !== undefined && typeof s.init !== 'function') {
    throw new TypeError(`defineJobHandler(spec): expected 'init' to be a function; given ${render(s.init)}`);
  }
  const table = s.handlers;
  if (typeof table !== 'object' || table === null || Object.keys(table).length === 0) {
    throw new TypeError(`defineJobHandler(spec): expected 'handlers' to be an object of at least one handler function; given ${render(table)}`);
  }
  for (const [name, handler] of Object.entries(table)) {
    if (typeof handler !== 'function') {
      throw new TypeError(`defineJobHandler(spec): expected 'handlers.${name}' to be a function; given ${render(handler)}`);
    }
  }
  for (const key of Object.keys(s)) {
    if (key !== 'handlers' && key !== 'init') {
      throw new TypeError(`defineJobHandler(spec): unknown key '${key}'; expected handlers and init`);
    }
  }
}
