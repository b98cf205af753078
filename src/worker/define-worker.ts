import { workerData } from 'node:worker_threads';
import { render } from '../options/render.js';
import { readBootData } from '../protocol/boot-data.js';
import type { Handlers, KnownHandlers, WorkerDefinition, WorkerSpec } from '../protocol/worker-definition.js';
import { installThreadRuntime } from './thread-runtime.js';

/**
 * Defines a worker actor. Export the result (as the module's default export) from a plain ESM or CJS
 * module; threadvisor starts that module as a thread's entry and drives it through this definition.
 *
 * Imported anywhere else (the main thread, a test, a thread threadvisor did not start) it only returns the
 * definition, so the module can be imported for its types or unit-tested without threads.
 *
 * `init(args, ctx)` and `terminate(state, reason, ctx)` also get the actor's context (`ctx.self`: its path
 * in its tree and its incarnation), the same frozen object for the actor's whole life.
 *
 * @example
 * ```ts
 * // counter.worker.ts
 * import { defineWorker } from 'threadvisor/worker';
 * export default defineWorker({
 *   init: (args: { start: number }) => ({ n: args.start }),
 *   calls: { add: (s, k: number) => (s.n += k), get: (s) => s.n },
 *   casts: { reset: (s) => { s.n = 0; } },
 *   terminate: (s, reason) => console.log('stopping at', s.n, reason.kind),
 * });
 * ```
 */
// The handler tables default to `{}` (no methods) rather than `Handlers<S>`: a default that mentions `S`
// would be used to type the handlers' state before `S` is inferred from an `init(args, ctx)` whose `ctx`
// is unannotated.
export function defineWorker<
  S = undefined,
  A = undefined,
  C extends Handlers<S> = {},
  K extends Handlers<S> = {},
>(spec: WorkerSpec<S, A, C, K>): WorkerDefinition<S, A, KnownHandlers<C>, KnownHandlers<K>> {
  assertSpec(spec);
  const definition = Object.freeze({
    $threadvisor: 'worker' as const,
    init: spec.init ?? noState,
    calls: Object.freeze({ ...spec.calls }),
    casts: Object.freeze({ ...spec.casts }),
    terminate: spec.terminate,
    info: spec.info,
  });
  // Only a thread threadvisor started carries boot data; `isMainThread` alone would also catch user threads.
  const boot = readBootData(workerData);
  if (boot !== undefined) installThreadRuntime(boot);
  return definition as unknown as WorkerDefinition<S, A, KnownHandlers<C>, KnownHandlers<K>>;
}

function noState(): undefined {
  return undefined;
}

function assertSpec(spec: unknown): void {
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(`defineWorker(spec): expected an object with init, calls, casts, terminate and info; given ${render(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  for (const key of ['init', 'terminate', 'info'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'function') {
      throw new TypeError(`defineWorker(spec): expected '${key}' to be a function; given ${render(s[key])}`);
    }
  }
  for (const key of ['calls', 'casts'] as const) {
    const table = s[key];
    if (table === undefined) continue;
    if (typeof table !== 'object' || table === null) {
      throw new TypeError(`defineWorker(spec): expected '${key}' to be an object of handler functions; given ${render(table)}`);
    }
    for (const [name, handler] of Object.entries(table)) {
      if (typeof handler !== 'function') {
        throw new TypeError(`defineWorker(spec): expected '${key}.${name}' to be a function; given ${render(handler)}`);
      }
    }
  }
}
