/**
 * The schema of a pool's own options, shared by `startPool` and the `pool()` child spec (which add the
 * fields only each of them has: a child's `id`/`restart`/`shutdown`, a standalone pool's `logger`).
 * The worker options a pool's threads take come from the one worker options schema.
 */
import { z } from 'zod';
import { FLAG_DEFAULTS, POOL_DEFAULTS } from './defaults.js';
import { render } from './render.js';
import { booleanRule, callTimeoutMsRule, isPositiveFinite, isWhole, rule, timerMs } from './rules.js';
import { workerOptionsShape } from './worker-options.js';

const whole = (min: number) => rule<number>(`a whole number >= ${min}`, (v) => isWhole(v, min, Number.MAX_SAFE_INTEGER));

/** Why a `deadLetters` value is no sink, or `null`. */
function sinkProblem(v: unknown): string | null {
  if (typeof v === 'function') return null;
  if (typeof v === 'object' && v !== null && typeof (v as { put?: unknown }).put === 'function') return null;
  return `expected a function (letter) => void or a store { put(letter): Promise<void> }; given ${render(v)}`;
}

/** The fields of a pool's options, without the fields of its place (child or standalone). */
export const poolOptionsShape = {
  module: workerOptionsShape.module,
  /** The job module's `init(args, ctx)` argument, for every thread. */
  args: workerOptionsShape.args,
  name: workerOptionsShape.name,
  resourceLimits: workerOptionsShape.resourceLimits,
  env: workerOptionsShape.env,
  execArgv: workerOptionsShape.execArgv,
  heartbeatMs: workerOptionsShape.heartbeatMs,
  startTimeoutMs: workerOptionsShape.startTimeoutMs,
  threads: whole(1).optional(),
  minThreads: whole(0).optional(),
  maxThreads: whole(1).optional(),
  idleTimeoutMs: timerMs(1).default(POOL_DEFAULTS.idleTimeoutMs),
  maxQueue: whole(0).optional(),
  maxDeliveries: whole(1).default(POOL_DEFAULTS.maxDeliveries),
  jobTimeoutMs: callTimeoutMsRule.default(POOL_DEFAULTS.jobTimeoutMs),
  abortGraceMs: timerMs(0).default(POOL_DEFAULTS.abortGraceMs),
  concurrentJobsPerThread: whole(1).default(POOL_DEFAULTS.concurrentJobsPerThread),
  deadLetters: z.unknown().superRefine((v, ctx) => {
    const problem = sinkProblem(v);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: v });
  }).optional() as unknown as z.ZodOptional<z.ZodType<DeadLetterSinkShape, DeadLetterSinkShape>>,
  deadLetterCapacity: whole(1).default(POOL_DEFAULTS.deadLetterCapacity),
  spare: booleanRule.default(POOL_DEFAULTS.spare),
  maxRestarts: whole(0).default(FLAG_DEFAULTS.maxRestarts),
  periodMs: rule<number>('a finite number of ms > 0', isPositiveFinite).default(FLAG_DEFAULTS.periodMs),
};

/** What the schema lets through as `deadLetters` (typed precisely in the pool's public options). */
type DeadLetterSinkShape = ((letter: never) => unknown) | { put(letter: never): PromiseLike<unknown> };

/**
 * The checks across a pool's fields: `threads` or `minThreads`/`maxThreads`, not both, and a minimum not
 * above the maximum. Runs even when other fields are wrong, so it checks its own inputs.
 */
export function checkThreadCounts(o: { threads?: unknown; minThreads?: unknown; maxThreads?: unknown }, ctx: z.RefinementCtx): void {
  if (o.threads !== undefined && (o.minThreads !== undefined || o.maxThreads !== undefined)) {
    const other = o.minThreads !== undefined ? 'minThreads' : 'maxThreads';
    ctx.addIssue({ code: 'custom', path: [other], input: o[other], message: `expected either threads (a fixed count) or minThreads/maxThreads, not both; given threads ${render(o.threads)} and ${other} ${render(o[other])}` });
    return;
  }
  if (typeof o.minThreads === 'number' && typeof o.maxThreads === 'number' && o.minThreads > o.maxThreads) {
    ctx.addIssue({ code: 'custom', path: ['maxThreads'], input: o.maxThreads, message: `expected a number >= minThreads (${o.minThreads}); given ${render(o.maxThreads)}` });
  }
}

/** The thread counts a pool runs with: `threads` is `min = max`; without either, one thread. */
export function threadBounds(o: { threads?: number | undefined; minThreads?: number | undefined; maxThreads?: number | undefined }): { min: number; max: number } {
  if (o.threads !== undefined) return { min: o.threads, max: o.threads };
  const max = o.maxThreads ?? Math.max(1, o.minThreads ?? 1);
  return { min: o.minThreads ?? Math.min(1, max), max };
}

/** The queue bound: the pool's `maxQueue`, or {@link POOL_DEFAULTS}`.maxQueuePerThread` per thread of its maximum. */
export function queueBound(maxQueue: number | undefined, maxThreads: number): number {
  return maxQueue ?? POOL_DEFAULTS.maxQueuePerThread * maxThreads;
}
