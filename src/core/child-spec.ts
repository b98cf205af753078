import { z } from 'zod';
import { backoffOrFalseSchema, type Backoff, type BackoffOptions } from './backoff.js';
import { CHILD_DEFAULTS } from '../options/defaults.js';
import { booleanRule, expected, shutdownRule, strictObject } from '../options/rules.js';
import { workerOptionsShape } from '../options/worker-options.js';
import { checkThreadCounts, poolOptionsShape } from '../options/pool-options.js';
import type { DeadLetter } from '../protocol/dead-letter.js';
import type { AnyJobs, JobInitArgs } from '../protocol/job-definition.js';
import type { WorkerStartOptions } from '../seams/child-host.js';
import type { RestartType } from './restart-decision.js';
import type { DynamicSupervisorSpec, SupervisorSpec, NormalizedSupervisorSpec } from './supervisor-flags.js';

import type { Shutdown } from '../seams/child-host.js';
import type { AnyWorker, InitArgsOption, PartialInitArgs } from '../protocol/worker-definition.js';

export type { Shutdown };

/** What every child spec has, worker or supervisor. */
export interface CommonChildSpec {
  /** Unique among the supervisor's children; names the child in refs, events and logs. */
  id: string;
  /** When the child is restarted. @default 'permanent' */
  restart?: RestartType;
  /** How long it may take to stop, in whole ms (0 to 2^31-1), or 'brutal_kill' or 'infinity'. @default 5000 for workers, 'infinity' for supervisors */
  shutdown?: Shutdown;
  /** Counts toward the supervisor's `autoShutdown` (needs `transient` or `temporary`, and an `autoShutdown` other than 'never'). @default false */
  significant?: boolean;
}

/** A worker actor child: a module whose default export is `defineWorker(...)`, run in its own thread. */
export interface WorkerChildSpec extends CommonChildSpec {
  type: 'worker';
  /** Backoff for this worker, overriding the supervisor's; `false` restarts it at once. */
  backoff?: BackoffOptions | false;
  /** The worker module: a `file:` URL or an absolute path. */
  module: string | URL;
  /** Handed to the worker's `init(args)` on every (re)start; must be structured-cloneable. */
  args?: unknown;
  /** Thread name. @default the child id */
  name?: string;
  /**
   * Passed to `new Worker()`, each a finite number of MB > 0; a heap past them is an `oom` exit (a stack past `stackSizeMb` throws a
   * `RangeError`). Not a hard guarantee: one huge allocation can abort the whole process, and `Buffer`s
   * are not counted (docs/workers.md, "What resourceLimits does not cover").
   */
  resourceLimits?: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number; codeRangeSizeMb?: number; stackSizeMb?: number };
  /** Passed to `new Worker()`: an object of strings, or `SHARE_ENV` from `node:worker_threads`. */
  env?: Record<string, string | undefined> | symbol;
  /** Passed to `new Worker()`. */
  execArgv?: string[];
  /** Heartbeat interval in whole ms (1 to 2^31-1); `false` turns hang detection off. @default 1000 */
  heartbeatMs?: number | false;
  /** Loading plus `init` may take this long, in whole ms (1 to 2^31-1). @default 30000 */
  startTimeoutMs?: number;
  /** Default timeout of calls to this child, in whole ms (1 to 2^31-1) or `Infinity`. @default 5000 */
  callTimeoutMs?: number;
  /**
   * A name for this child, unique in the whole tree (nested supervisors included): `sup.ref(name)`,
   * `ctx.ref(name)` and monitors reach it by it wherever it sits, and after every restart (OTP's
   * registered name). No `/` (that makes a path), and not the id of another child of the root (a target
   * without `/` is looked up as a name first). A duplicate is an `InvalidSpecError` naming both places.
   * Not allowed in a dynamic supervisor's template (every child would have the same name).
   * @default none: the child is reached by its path only
   */
  registeredName?: string;
}

/**
 * Where dead letters go besides a pool's in-memory box: a callback, or a store with one async method. A
 * callback that throws or a store that rejects is logged with the stack and counted, and the letter is
 * kept in the in-memory box: nothing is lost.
 */
export type DeadLetterSink = ((letter: DeadLetter) => void | Promise<void>) | { put(letter: DeadLetter): Promise<void> };

/** What a pool's threads run and how many: the options `startPool` and `pool()` share. Defaults: docs/pools.md. */
export interface PoolOptions<J = AnyJobs> extends Omit<WorkerStartOptions, 'args' | 'self' | 'callTimeoutMs'> {
  /** The job handler module: a `file:` URL or an absolute path whose default export is `defineJobHandler(...)`. */
  module: string | URL;
  /** Handed to the module's `init(args, ctx)` in every thread; must be structured-cloneable. */
  args?: JobInitArgs<J>;
  /** A fixed number of threads (shorthand for `minThreads` = `maxThreads`). @default 1 (when no min/max is given) */
  threads?: number;
  /** Threads kept even when idle. @default 1, or `maxThreads` when smaller */
  minThreads?: number;
  /** Threads the pool grows to under load. @default `minThreads` (at least 1) */
  maxThreads?: number;
  /** A thread beyond `minThreads` idle this long (ms) is retired. @default 30000 */
  idleTimeoutMs?: number;
  /** Jobs waiting for a thread; one more is refused at once with `QueueFullError`. @default 1024 per thread of `maxThreads` */
  maxQueue?: number;
  /** Deliveries of a job that may end in its thread's death before it is dead-lettered. @default 3 */
  maxDeliveries?: number;
  /** Each job's timeout (ms) from `run()`, queue time included, unless `run` gives its own. @default Infinity (none) */
  jobTimeoutMs?: number;
  /** How long (ms) a handler may ignore its job's abort (timeout or signal) before its thread is terminated and replaced. @default 1000 */
  abortGraceMs?: number;
  /** Jobs sent to one thread at once (pipelining depth). @default 64 */
  concurrentJobsPerThread?: number;
  /** Where dead letters go besides the in-memory box. @default none: the in-memory box only */
  deadLetters?: DeadLetterSink;
  /** Dead letters the in-memory box keeps; past it the oldest is dropped, counted and logged. @default 1000 */
  deadLetterCapacity?: number;
  /** Keep one booted thread ready, so a dead thread is replaced at once (piscina boots a new one). @default true */
  spare?: boolean;
  /** Thread deaths not attributed to a job (a thread dying idle, failing to start) allowed in `periodMs`; one more ends the pool `max_intensity`. @default 3 */
  maxRestarts?: number;
  /** The window of `maxRestarts`, in ms. @default 5000 */
  periodMs?: number;
}

/**
 * A pool child: N threads of a job handler module (`defineJobHandler`), reached with `tree.pool(path)`.
 * To its supervisor it is a worker (OTP's child type `worker`: default `shutdown` 5000 ms, the time its
 * running jobs get to finish); it exits `max_intensity` when its own threads die too often for reasons
 * no job explains, and its supervisor then restarts it or escalates by its strategy.
 */
export interface PoolChildSpec<J = AnyJobs> extends CommonChildSpec, PoolOptions<J> {
  type: 'pool';
  /** Backoff for restarting this pool in its supervisor, and between replacements of its threads that died on their own. `false`: at once. */
  backoff?: BackoffOptions | false;
}

/**
 * What `worker<W>()` takes: a worker child spec without `type`, its `args` checked against worker `W`'s
 * `init` (required when `init` requires them, absent when it takes none), as `startWorker<W>` checks
 * them. Left untyped (`W` = `AnyWorker`), `args` takes anything.
 */
export type TypedWorkerChildSpec<W = AnyWorker> = Omit<WorkerChildSpec, 'type' | 'args'> & InitArgsOption<W>;

/**
 * A dynamic supervisor's template: a worker child spec without `id` and `type`. Its `args` are a part of
 * worker `W`'s init args that `startChild(extraArgs)` completes (see {@link PartialInitArgs}), so they
 * are never required.
 */
export type WorkerTemplate<W = AnyWorker> = Omit<WorkerChildSpec, 'id' | 'type' | 'args' | 'registeredName'> & {
  /** Handed to `init`, merged with `startChild`'s `extraArgs` when both are plain objects (theirs win). */
  args?: PartialInitArgs<W>;
};

/**
 * A nested supervisor child. Its `backoff` is the default for its own children; its own restarts in its
 * parent use the parent's default backoff.
 */
export interface SupervisorChildSpec extends CommonChildSpec, SupervisorSpec {
  type: 'supervisor';
}

/**
 * A dynamic supervisor child (Elixir's DynamicSupervisor under an application supervisor): no children at
 * start, one template, children added at run time by path. Build it with `dynamicSupervisor()`. It is a
 * supervisor to its parent (OTP's child type `supervisor`), so it normalizes to a supervisor child whose
 * `dynamic` field holds the template. `W` types the template's `args`.
 */
export interface DynamicSupervisorChildSpec<W = AnyWorker> extends CommonChildSpec, DynamicSupervisorSpec<W> {
  type: 'dynamic_supervisor';
}

/** A child spec: a worker, a pool, a nested supervisor, or a nested dynamic supervisor. */
export type ChildSpec = WorkerChildSpec | PoolChildSpec | SupervisorChildSpec | DynamicSupervisorChildSpec;

/** A worker child spec with its defaults filled in. */
export interface NormalizedWorkerChildSpec extends Omit<WorkerChildSpec, 'restart' | 'shutdown' | 'significant' | 'backoff'> {
  restart: RestartType;
  shutdown: Shutdown;
  significant: boolean;
  /** `undefined` inherits the supervisor's backoff; `null` means none. */
  backoff: Backoff | null | undefined;
  /** Set for a pool child: its pool's own fields (the thread options are the worker fields). */
  pool?: PoolFields;
}

/** A pool child's own fields, checked and with their defaults (thread counts resolved by the pool). */
export type PoolFields = Omit<z.output<z.ZodObject<typeof poolOptionsShape>>, 'module' | 'args' | 'name' | 'resourceLimits' | 'env' | 'execArgv' | 'heartbeatMs' | 'startTimeoutMs'>;

/** What makes a supervisor dynamic: every child starts from one template, up to a cap. */
export interface DynamicChildren {
  /** The spec every child starts from; `startChild(extraArgs)` merges its args into `args`. */
  template: Omit<NormalizedWorkerChildSpec, 'id' | 'type' | 'registeredName'>;
  /** `startChild` is refused beyond this many children. */
  maxChildren: number;
}

/** A supervisor child spec with its defaults filled in (its children too). */
export interface NormalizedSupervisorChildSpec extends NormalizedSupervisorSpec {
  type: 'supervisor';
  id: string;
  restart: RestartType;
  shutdown: Shutdown;
  significant: boolean;
  /** Set for a dynamic supervisor (then `children` is empty, `strategy` one_for_one, `autoShutdown` never). */
  dynamic?: DynamicChildren;
}

/** A child spec as the core sees it. */
export type NormalizedChildSpec = NormalizedWorkerChildSpec | NormalizedSupervisorChildSpec;

/** The zod schema of {@link RestartType}. */
export const restartSchema = z.enum(['permanent', 'transient', 'temporary'], {
  error: expected("one of 'permanent', 'transient', 'temporary'"),
});

/** The zod schema of {@link Shutdown}. */
export const shutdownSchema = shutdownRule;

/** A worker's own `backoff`: `undefined` inherits the supervisor's, `false` (kept as `null`) turns it off. */
const childBackoffSchema = backoffOrFalseSchema
  .optional()
  .transform((b) => (b === undefined ? undefined : b === false ? null : (b as Backoff)));

/** The zod schema of a child id. */
export const idSchema = z
  .string({ error: expected('a non-empty string') })
  .min(1, 'expected a non-empty string; given an empty string')
  // Refs name nested children by path ('jobs/w1'), so an id holding '/' would be ambiguous.
  .refine((id) => !id.includes('/'), { error: expected("an id without '/' (refs use '/' to reach nested children)") });

/** The zod schema of a registered name: like an id, a non-empty string without '/'. */
export const registeredNameSchema = z
  .string({ error: expected('a non-empty string') })
  .min(1, 'expected a non-empty string; given an empty string')
  // A target with '/' is a path; a name holding one could never be told from a path.
  .refine((name) => !name.includes('/'), { error: expected("a name without '/' (a target with '/' is a path)") })
  // A blank name reads as nothing in logs and errors; '.' and '..' read as places, not names.
  .refine((name) => name.trim() !== '' && name !== '.' && name !== '..', { error: expected("a name with a visible character, other than '.' and '..'") });

/** The fields every child spec has. */
const commonShape = {
  id: idSchema,
  restart: restartSchema.default(CHILD_DEFAULTS.restart),
  significant: booleanRule.default(CHILD_DEFAULTS.significant),
};

/** The fields of a worker child spec, but its `type` and `id`: the worker options plus the child fields. */
export const workerTemplateShape = {
  restart: commonShape.restart,
  significant: commonShape.significant,
  shutdown: shutdownSchema.default(CHILD_DEFAULTS.workerShutdown),
  backoff: childBackoffSchema,
  ...workerOptionsShape,
};

/** The zod schema of {@link WorkerChildSpec}: the worker options schema plus the child fields. */
export const workerChildSchema = strictObject(
  { type: z.literal('worker'), id: commonShape.id, ...workerTemplateShape, registeredName: registeredNameSchema.optional() },
  'a worker child spec object',
).superRefine((spec, ctx) => checkSignificantRestart(spec, ctx));

/**
 * OTP's rule: a significant child must be `transient` or `temporary` (a permanent one never exits on its
 * own for good). Runs even when other fields are wrong, so it checks its own inputs.
 */
export function checkSignificantRestart(spec: { significant?: unknown; restart?: unknown }, ctx: z.RefinementCtx): void {
  if (spec.significant === true && spec.restart === 'permanent') {
    ctx.addIssue({ code: 'custom', path: ['significant'], input: true, message: "expected a significant child to be 'transient' or 'temporary'; given restart 'permanent'" });
  }
}

/**
 * The zod schema of {@link PoolChildSpec}. It normalizes to a worker child (OTP's child type) whose `pool`
 * field holds the pool's own fields, as a dynamic supervisor normalizes to a supervisor.
 */
export const poolChildSchema = strictObject(
  {
    type: z.literal('pool'),
    id: commonShape.id,
    restart: commonShape.restart,
    significant: commonShape.significant,
    shutdown: shutdownSchema.default(CHILD_DEFAULTS.workerShutdown),
    backoff: childBackoffSchema,
    ...poolOptionsShape,
  },
  'a pool child spec object',
).superRefine((spec, ctx) => {
  checkSignificantRestart(spec, ctx);
  checkThreadCounts(spec, ctx);
}).transform((spec): NormalizedWorkerChildSpec => {
  const { type: _type, id, restart, significant, shutdown, backoff, module, args, name, resourceLimits, env, execArgv, heartbeatMs, startTimeoutMs, ...pool } = spec;
  const worker: NormalizedWorkerChildSpec = { type: 'worker', id, restart, significant, shutdown, backoff, module, pool };
  if (args !== undefined) worker.args = args;
  if (name !== undefined) worker.name = name;
  if (resourceLimits !== undefined) worker.resourceLimits = resourceLimits;
  if (env !== undefined) worker.env = env;
  if (execArgv !== undefined) worker.execArgv = execArgv;
  if (heartbeatMs !== undefined) worker.heartbeatMs = heartbeatMs;
  if (startTimeoutMs !== undefined) worker.startTimeoutMs = startTimeoutMs;
  return worker;
});
