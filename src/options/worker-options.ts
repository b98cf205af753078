/**
 * The one schema of worker options. A worker child spec (`worker({...})`) and `startWorker(...)` both
 * validate these fields through it, so they accept the same values and refuse the rest with the same
 * messages. Pure: it checks shapes and limits; whether a module is a usable file is the runtime's check.
 */
import { z } from 'zod';
import { SHARE_ENV } from './defaults.js';
import { render } from './render.js';
import {
  callTimeoutMsRule, heartbeatMsRule, isPositiveFinite, isWhole, nonEmptyString, rule, stringRule, strictObject, timerMs,
} from './rules.js';

export { SHARE_ENV };

/** What a worker `module` may be, as every message about one says it (the schema's and the runtime's). */
export const MODULE_ACCEPTED =
  "a file: URL (new URL('./my.worker.js', import.meta.url)) or an absolute path (a relative path would resolve against the process's cwd)";

/**
 * What is wrong with the shape of a `module` value, or `null`: it must be a non-empty string or a URL
 * (of any realm) whose `href` can be read. A Proxy around a URL cannot be read and is refused.
 */
export function moduleShapeProblem(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? null : `expected ${MODULE_ACCEPTED}; given an empty string`;
  if (typeof value === 'object' && value !== null) {
    try {
      const { href, protocol } = value as URL;
      if (typeof href === 'string' && typeof protocol === 'string') return null;
    } catch (error) {
      return `expected ${MODULE_ACCEPTED}; given a URL whose href cannot be read (${(error as Error).message})`;
    }
  }
  return `expected ${MODULE_ACCEPTED}; given ${render(value)}`;
}

/** The `module` rule. */
export const moduleRule = z.unknown().refine((v) => moduleShapeProblem(v) === null, {
  error: (issue) => moduleShapeProblem(issue.input) ?? `expected ${MODULE_ACCEPTED}`,
}) as unknown as z.ZodType<string | URL, string | URL>;

const limitMb = rule<number>('a finite number of MB > 0', isPositiveFinite);

/** Node's `resourceLimits`: each a finite number of MB > 0; other keys are refused. */
export const resourceLimitsSchema = strictObject(
  {
    maxYoungGenerationSizeMb: limitMb.optional(),
    maxOldGenerationSizeMb: limitMb.optional(),
    codeRangeSizeMb: limitMb.optional(),
    stackSizeMb: limitMb.optional(),
  },
  'an object of limits in MB (maxYoungGenerationSizeMb, maxOldGenerationSizeMb, codeRangeSizeMb, stackSizeMb)',
);

/** `env`: an object of strings (each checked at its own key), or `SHARE_ENV`. */
export const envSchema = z.unknown().superRefine((env, ctx) => {
  if (env === SHARE_ENV) return;
  if (!isPlainRecord(env)) {
    ctx.addIssue({ code: 'custom', input: env, message: `expected an object of strings or SHARE_ENV; given ${render(env)}` });
    return;
  }
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && typeof value !== 'string') ctx.addIssue({ code: 'custom', path: [key], message: `expected a string; given ${render(value)}`, input: value });
  }
}) as unknown as z.ZodType<Record<string, string | undefined> | symbol, Record<string, string | undefined> | symbol>;

/** `execArgv`: an array of strings. */
export const execArgvSchema = rule<string[]>(
  'an array of strings',
  (v) => Array.isArray(v) && v.every((a) => typeof a === 'string'),
);

/**
 * Why `value` cannot be handed to a worker's `init` (it crosses the thread boundary by structured clone:
 * functions, symbols and class instances holding host objects cannot), or `null` when it can. Checked
 * before anything starts, so an uncloneable `args` never spawns a thread that then fails to start.
 */
export function cloneProblem(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    structuredClone(value);
    return null;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `expected structured-cloneable data (plain objects, arrays, primitives, Dates, Maps, typed arrays...; no functions or symbols); given ${render(value)} (${why})`;
  }
}

/**
 * The fields of worker options, shared by the worker child spec and `startWorker`. Defaults are not filled
 * in here (a child spec keeps `undefined` for "the default"); they live in `WORKER_DEFAULTS`.
 */
export const workerOptionsShape = {
  module: moduleRule,
  args: z.unknown().superRefine((value, ctx) => {
    const problem = cloneProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }).optional(),
  name: stringRule.optional(),
  resourceLimits: resourceLimitsSchema.optional(),
  env: envSchema.optional(),
  execArgv: execArgvSchema.optional(),
  heartbeatMs: heartbeatMsRule.optional(),
  startTimeoutMs: timerMs(1).optional(),
  callTimeoutMs: callTimeoutMsRule.optional(),
};

/** The options object of `startWorker`: the worker options and nothing else. */
export const workerOptionsSchema = strictObject(workerOptionsShape, 'an object of worker options with a module');

/** Who an actor is (`ctx.self`): the path a supervisor gave it and its incarnation, counted from 1. */
export const actorSelfSchema = strictObject(
  {
    path: nonEmptyString,
    incarnation: rule<number>('a whole number >= 1', (v) => isWhole(v, 1, Number.MAX_SAFE_INTEGER)),
  },
  'an actor identity { path, incarnation }',
);

/** A tree's peer directory (`WorkerStartOptions.peers`): an object with `resolve` and `monitor` functions. */
const peerDirectoryRule = rule<object>(
  'a peer directory (an object with resolve and monitor functions, as a supervisor passes)',
  (v) => typeof v === 'object' && v !== null && typeof (v as { resolve?: unknown }).resolve === 'function' && typeof (v as { monitor?: unknown }).monitor === 'function',
);

/**
 * The options object of `ChildHost.start`: the worker options plus the identity the host gives the actor,
 * which only a supervisor (or a standby pool) hands in; a child spec has no `self`, its place in the tree is.
 */
export const hostStartOptionsSchema = strictObject(
  { ...workerOptionsShape, self: actorSelfSchema.optional(), peers: peerDirectoryRule.optional() },
  'an object of worker options with a module',
);

/** An object that is not an array (of any realm: a test's objects come from another one). */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
