import { z } from 'zod';
import { backoffSchema, type Backoff, type BackoffOptions } from './backoff.js';
import type { RestartType } from './restart-decision.js';
import type { SupervisorSpec, NormalizedSupervisorSpec } from './supervisor-flags.js';

import type { Shutdown } from '../seams/child-host.js';

export type { Shutdown };

/** What every child spec has, worker or supervisor. */
export interface CommonChildSpec {
  /** Unique among the supervisor's children; names the child in refs, events and logs. */
  id: string;
  /** When the child is restarted. @default 'permanent' */
  restart?: RestartType;
  /** How long it may take to stop. @default 5000 for workers, 'infinity' for supervisors */
  shutdown?: Shutdown;
  /** Counts toward the supervisor's `autoShutdown` (needs `transient` or `temporary`). @default false */
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
   * Passed to `new Worker()`; a heap past them is an `oom` exit (a stack past `stackSizeMb` throws a
   * `RangeError`). Not a hard guarantee: one huge allocation can abort the whole process, and `Buffer`s
   * are not counted (docs/workers.md, "What resourceLimits does not cover").
   */
  resourceLimits?: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number; codeRangeSizeMb?: number; stackSizeMb?: number };
  /** Passed to `new Worker()`. */
  env?: Record<string, string | undefined>;
  /** Passed to `new Worker()`. */
  execArgv?: string[];
  /** Heartbeat interval in ms; `false` turns hang detection off. @default 1000 */
  heartbeatMs?: number | false;
  /** Loading plus `init` may take this long. @default 30000 */
  startTimeoutMs?: number;
  /** Default timeout of calls to this child. @default 5000 */
  callTimeoutMs?: number;
}

/**
 * A nested supervisor child. Its `backoff` is the default for its own children; its own restarts in its
 * parent use the parent's default backoff.
 */
export interface SupervisorChildSpec extends CommonChildSpec, SupervisorSpec {
  type: 'supervisor';
}

/** A child spec: a worker or a nested supervisor. */
export type ChildSpec = WorkerChildSpec | SupervisorChildSpec;

/** A worker child spec with its defaults filled in. */
export interface NormalizedWorkerChildSpec extends Omit<WorkerChildSpec, 'restart' | 'shutdown' | 'significant' | 'backoff'> {
  restart: RestartType;
  shutdown: Shutdown;
  significant: boolean;
  /** `undefined` inherits the supervisor's backoff; `null` means none. */
  backoff: Backoff | null | undefined;
}

/** A supervisor child spec with its defaults filled in (its children too). */
export interface NormalizedSupervisorChildSpec extends NormalizedSupervisorSpec {
  type: 'supervisor';
  id: string;
  restart: RestartType;
  shutdown: Shutdown;
  significant: boolean;
}

/** A child spec as the core sees it. */
export type NormalizedChildSpec = NormalizedWorkerChildSpec | NormalizedSupervisorChildSpec;

export const restartSchema = z.enum(['permanent', 'transient', 'temporary'], {
  error: (issue) => `expected one of 'permanent', 'transient', 'temporary'; given ${show(issue.input)}`,
});

export const shutdownSchema = z.union([z.number().int().nonnegative(), z.literal('brutal_kill'), z.literal('infinity')], {
  error: (issue) => `expected a whole number of ms >= 0, 'brutal_kill' or 'infinity'; given ${show(issue.input)}`,
});

export const childBackoffSchema = z
  .union([backoffSchema, z.literal(false)])
  .optional()
  .transform((b) => (b === undefined ? undefined : b === false ? null : (b as Backoff)));

export const idSchema = z
  .string({ error: (i) => `expected a non-empty string; given ${show(i.input)}` })
  .min(1, 'expected a non-empty string; given an empty string')
  // Refs name nested children by path ('jobs/w1'), so an id holding '/' would be ambiguous.
  .refine((id) => !id.includes('/'), { message: "expected an id without '/' (refs use '/' to reach nested children)" });

const resourceLimitsSchema = z
  .object({
    maxYoungGenerationSizeMb: z.number().positive().optional(),
    maxOldGenerationSizeMb: z.number().positive().optional(),
    codeRangeSizeMb: z.number().positive().optional(),
    stackSizeMb: z.number().positive().optional(),
  })
  .strict();

// A URL from another realm (a vm context, jest) is not `instanceof URL` here, so it is recognised by shape.
const urlLike = z.custom<URL>((v) => typeof v === 'object' && v !== null && typeof (v as URL).href === 'string' && typeof (v as URL).protocol === 'string');
export const moduleSchema = z.union([z.string().min(1), urlLike], {
  error: (issue) => `expected a file: URL or an absolute path of a worker module; given ${show(issue.input)}`,
});

/** The zod schema of {@link WorkerChildSpec}. */
export const workerChildSchema = z
  .object({
    type: z.literal('worker'),
    id: idSchema,
    module: moduleSchema,
    args: z.unknown().optional(),
    restart: restartSchema.default('permanent'),
    shutdown: shutdownSchema.default(5000),
    significant: z.boolean().default(false),
    backoff: childBackoffSchema,
    name: z.string().optional(),
    resourceLimits: resourceLimitsSchema.optional(),
    env: z.record(z.string(), z.string().optional()).optional(),
    execArgv: z.array(z.string()).optional(),
    heartbeatMs: z.union([z.number().int().positive(), z.literal(false)]).optional(),
    startTimeoutMs: z.number().int().positive().optional(),
    callTimeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** Renders a given value for an error message (short, never throws). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof URL) return `URL(${value.href})`;
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    // Cyclic or BigInt-holding input still gets named in the error, just less precisely.
    return Object.prototype.toString.call(value);
  }
}
