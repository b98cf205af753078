/**
 * `startPool`: a pool on its own, outside any tree, and the settings both kinds of pool are built from.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { backoffOrFalseSchema, type Backoff } from '../core/backoff.js';
import { InvalidSpecError } from '../errors.js';
import { POOL_DEFAULTS } from '../options/defaults.js';
import { parseOrThrow } from '../options/issues.js';
import { checkThreadCounts, poolOptionsShape, queueBound, threadBounds } from '../options/pool-options.js';
import { strictObject, timerMs } from '../options/rules.js';
import { loggerRule } from '../options/start-options.js';
import { containLogger } from '../observability/contained-logger.js';
import { defaultLogger } from '../observability/logger.js';
import type { AnyJobs } from '../protocol/job-definition.js';
import type { Shutdown, WorkerStartOptions } from '../seams/child-host.js';
import { moduleProblem } from '../runtime/module-problem.js';
import { moduleUrl } from '../runtime/settings.js';
import { PoolEngine, type PoolSettings } from './pool.js';
import type { DeadLetterSink, Pool, StartPoolOptions } from './types.js';

/** The zod schema of `startPool`'s options: the pool's own, plus `backoff`, `shutdownMs` and `logger`. */
const startPoolSchema = strictObject(
  {
    ...poolOptionsShape,
    backoff: backoffOrFalseSchema.default(false).transform((b) => (b === false ? null : (b as Backoff))),
    shutdownMs: timerMs(0).default(POOL_DEFAULTS.shutdownMs),
    logger: loggerRule.optional(),
  },
  'an object of pool options with a module',
).superRefine(checkThreadCounts);

/** A pool's fields as the schemas leave them (defaults filled in). */
export type ParsedPoolFields = z.output<ReturnType<typeof z.object<typeof poolOptionsShape>>>;

/** The engine's settings from checked options and where the pool sits. */
export function poolSettings(o: ParsedPoolFields, place: { name: string; path: string; backoff: Backoff | null; shutdown: Shutdown; logger: Logger; random: () => number }): PoolSettings {
  const { min, max } = threadBounds(o);
  const worker: WorkerStartOptions = { module: o.module, name: o.name ?? place.name };
  if (o.args !== undefined) worker.args = o.args;
  if (o.resourceLimits !== undefined) worker.resourceLimits = o.resourceLimits;
  if (o.env !== undefined) worker.env = o.env;
  if (o.execArgv !== undefined) worker.execArgv = o.execArgv;
  if (o.heartbeatMs !== undefined) worker.heartbeatMs = o.heartbeatMs;
  if (o.startTimeoutMs !== undefined) worker.startTimeoutMs = o.startTimeoutMs;
  return {
    name: place.name,
    path: place.path,
    worker,
    min,
    max,
    idleTimeoutMs: o.idleTimeoutMs,
    maxQueue: queueBound(o.maxQueue, max),
    maxDeliveries: o.maxDeliveries,
    jobTimeoutMs: o.jobTimeoutMs,
    abortGraceMs: o.abortGraceMs,
    perThread: o.concurrentJobsPerThread,
    sink: o.deadLetters as DeadLetterSink | undefined,
    deadLetterCapacity: o.deadLetterCapacity,
    spare: o.spare,
    maxRestarts: o.maxRestarts,
    periodMs: o.periodMs,
    backoff: place.backoff,
    shutdown: place.shutdown,
    logger: place.logger,
    random: place.random,
  };
}

/**
 * Starts a pool of threads running a job handler module (`defineJobHandler`), outside any tree. Resolves
 * once its first threads have loaded the module and run its `init`.
 *
 * Give the module's type (`startPool<typeof Jobs>`) and `run` is typed: a wrong handler name or
 * argument is a compile error.
 *
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) for bad options, naming each field; nothing is started.
 * @throws StartError (`ERR_START_FAILED`) when a thread cannot load the module or its `init` throws;
 * the threads it had started are stopped.
 * @example
 * ```ts
 * import type Jobs from './resize.jobs.js';
 * const pool = await startPool<typeof Jobs>({ module: new URL('./resize.jobs.js', import.meta.url), threads: 2 });
 * const out = await pool.run('resize', img, 100, { timeoutMs: 1000 });
 * await pool.stop();
 * ```
 */
export async function startPool<J = AnyJobs>(options: StartPoolOptions<J>): Promise<Pool<J>> {
  const o = parseOrThrow(startPoolSchema, options, 'pool options');
  const problem = moduleProblem(o.module);
  if (problem !== null) throw new InvalidSpecError('pool options', [{ path: 'module', message: problem }]);
  const url = moduleUrl(o.module) as URL;
  const name = o.name ?? basename(fileURLToPath(url));
  const logger = containLogger((o.logger as Logger | undefined) ?? defaultLogger());
  const engine = new PoolEngine(poolSettings(o, { name, path: name, backoff: o.backoff, shutdown: o.shutdownMs, logger, random: Math.random }));
  await engine.start();
  return engine as unknown as Pool<J>;
}
