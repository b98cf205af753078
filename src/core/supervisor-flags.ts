import { z } from 'zod';
import { backoffOrFalseSchema, type Backoff, type BackoffOptions } from './backoff.js';
import {
  checkSignificantRestart, idSchema, poolChildSchema, restartSchema, shutdownSchema, workerChildSchema, workerTemplateShape,
  type ChildSpec, type NormalizedChildSpec, type NormalizedSupervisorChildSpec, type NormalizedWorkerChildSpec,
  type WorkerTemplate,
} from './child-spec.js';
import type { AnyWorker } from '../protocol/worker-definition.js';
import { CHILD_DEFAULTS, FLAG_DEFAULTS } from '../options/defaults.js';
import { render } from '../options/render.js';
import { booleanRule, expected, isPositiveFinite, isWhole, nonEmptyString, rule, strictObject } from '../options/rules.js';

/** OTP's restart strategies. */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/** OTP 24's automatic shutdown on significant children. */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/** How a supervisor restarts its children. */
export interface SupervisorFlags {
  /** Which children restart when one fails. @default 'one_for_one' */
  strategy?: Strategy;
  /** Restarts allowed within `periodMs` before the supervisor gives up (escalates). @default 3 */
  maxRestarts?: number;
  /** The sliding window of `maxRestarts`, in ms. @default 5000 */
  periodMs?: number;
  /** Default backoff for all children; `false` (the default) restarts at once, as OTP does. @default false */
  backoff?: BackoffOptions | false;
  /** Exit when significant children exit on their own. @default 'never' */
  autoShutdown?: AutoShutdown;
}

/** A supervisor: its flags, a name, and its children in start order. */
export interface SupervisorSpec extends SupervisorFlags {
  /** Names the supervisor in logs, events and reports. @default 'root' for the root; `<parent name>/<id>` for a nested one */
  name?: string;
  /** The children, started in this order and stopped in reverse. */
  children: ChildSpec[];
}

/** Flags with every default filled in. */
export interface NormalizedFlags {
  strategy: Strategy;
  maxRestarts: number;
  periodMs: number;
  backoff: Backoff | null;
  autoShutdown: AutoShutdown;
}

/** A supervisor spec with every default filled in. */
export interface NormalizedSupervisorSpec extends NormalizedFlags {
  name: string | undefined;
  children: NormalizedChildSpec[];
}

/**
 * A dynamic supervisor (Elixir's DynamicSupervisor): one template, children started at run time. `W`, the
 * worker the template starts (`typeof Session`), types the template's `args` and `startChild`'s.
 */
export interface DynamicSupervisorSpec<W = AnyWorker> extends Omit<SupervisorFlags, 'strategy' | 'autoShutdown'> {
  name?: string;
  /** Every child is started from this spec; `startChild(extraArgs)` merges its args into `args`. */
  template: WorkerTemplate<W>;
  /** Refuse `startChild` beyond this many children. @default Infinity */
  maxChildren?: number;
}

/** A dynamic supervisor spec with its defaults filled in. */
export interface NormalizedDynamicSupervisorSpec extends Omit<NormalizedFlags, 'strategy' | 'autoShutdown'> {
  name: string | undefined;
  template: Omit<NormalizedWorkerChildSpec, 'id' | 'type'>;
  maxChildren: number;
}

const strategySchema = z.enum(['one_for_one', 'one_for_all', 'rest_for_one'], {
  error: expected("one of 'one_for_one', 'one_for_all', 'rest_for_one'"),
});
const autoShutdownSchema = z.enum(['never', 'any_significant', 'all_significant'], {
  error: expected("one of 'never', 'any_significant', 'all_significant'"),
});
const maxRestartsSchema = rule<number>('a whole number >= 0', (v) => isWhole(v, 0, Number.MAX_SAFE_INTEGER));
const periodSchema = rule<number>('a finite number of ms > 0', isPositiveFinite);

const flagShape = {
  name: nonEmptyString.optional(),
  strategy: strategySchema.default(FLAG_DEFAULTS.strategy),
  maxRestarts: maxRestartsSchema.default(FLAG_DEFAULTS.maxRestarts),
  periodMs: periodSchema.default(FLAG_DEFAULTS.periodMs),
  backoff: backoffOrFalseSchema
    .default(FLAG_DEFAULTS.backoff)
    .transform((b) => (b === false ? null : (b as Backoff))),
  autoShutdown: autoShutdownSchema.default(FLAG_DEFAULTS.autoShutdown),
};

type ChildIn = z.input<typeof workerChildSchema> | Record<string, unknown>;

const childSchema: z.ZodType<NormalizedChildSpec, ChildIn> = z.lazy(() =>
  z.discriminatedUnion('type', [workerChildSchema, poolChildSchema, supervisorChildSchema, dynamicSupervisorChildSchema], {
    error: (i) =>
      i.code === 'invalid_union' ? `expected a child spec with type 'worker', 'pool', 'supervisor' or 'dynamic_supervisor' (use worker(), pool(), supervisor() or dynamicSupervisor()); given ${render((i.input as { type?: unknown } | undefined)?.type)} as type` : undefined,
  }),
) as unknown as z.ZodType<NormalizedChildSpec, ChildIn>;

/** The zod schema of one child spec, worker or supervisor (for `startChild`). */
export const childSpecSchema = childSchema;

const childrenSchema = z.array(childSchema, { error: expected('an array of child specs') }).superRefine((children, ctx) => {
  const seen = new Map<string, number>();
  children.forEach((child, index) => {
    // Runs even when some children are invalid: only well-formed ids take part.
    if (typeof child?.id !== 'string') return;
    const first = seen.get(child.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], input: child.id, message: `expected a unique id; given ${render(child.id)}, already used by children.${first}` });
    } else seen.set(child.id, index);
  });
});

const supervisorChildSchema = strictObject(
  {
    type: z.literal('supervisor'),
    id: idSchema,
    restart: restartSchema.default(CHILD_DEFAULTS.restart),
    shutdown: shutdownSchema.default(CHILD_DEFAULTS.supervisorShutdown),
    significant: booleanRule.default(CHILD_DEFAULTS.significant),
    ...flagShape,
    children: childrenSchema,
  },
  'a supervisor child spec object',
).superRefine((spec, ctx) => {
  checkSignificantRestart(spec, ctx);
  checkAutoShutdown(spec, ctx);
});

/** The zod schema of a root {@link SupervisorSpec}. */
export const supervisorSpecSchema = strictObject({ ...flagShape, children: childrenSchema }, 'a supervisor spec object').superRefine(
  (spec, ctx) => checkAutoShutdown(spec, ctx),
);

/** A template names no child: every child started from it would get the same name. */
const templateNameRule = rule<undefined>(
  "no registeredName in a dynamic supervisor's template (every child would get the same name; reach a dynamic child by its path, 'sessions/child-1')",
  (v) => v === undefined,
);

/** What a dynamic supervisor's spec holds, as a root or as a child. */
const dynamicShape = {
  name: flagShape.name,
  maxRestarts: flagShape.maxRestarts,
  periodMs: flagShape.periodMs,
  backoff: flagShape.backoff,
  template: strictObject(
    { type: z.literal('worker').optional(), ...workerTemplateShape, registeredName: templateNameRule.optional() },
    'a worker child spec object without id',
  ),
  maxChildren: rule<number>('a whole number >= 1, or Infinity', (v) => v === Infinity || isWhole(v, 1, Number.MAX_SAFE_INTEGER)).default(FLAG_DEFAULTS.maxChildren),
};

/** A dynamic supervisor has no auto-shutdown, so its children can never be significant. */
function checkTemplate(spec: { template?: { significant?: unknown } }, ctx: z.RefinementCtx): void {
  if (spec.template?.significant === true) {
    ctx.addIssue({ code: 'custom', path: ['template', 'significant'], input: true, message: TEMPLATE_SIGNIFICANT });
  }
}

const TEMPLATE_SIGNIFICANT = "expected significant: false in a dynamic supervisor's template (a dynamic supervisor has no autoShutdown, so the flag would do nothing); given true";

/** The zod schema of a {@link DynamicSupervisorSpec}. */
export const dynamicSupervisorSpecSchema = strictObject(dynamicShape, 'a dynamic supervisor spec object').superRefine(checkTemplate);

/**
 * The zod schema of a `DynamicSupervisorChildSpec`. It normalizes into a supervisor child (its parent
 * supervises it like any other) with no children and the template under `dynamic`.
 */
const dynamicSupervisorChildSchema = strictObject(
  {
    ...dynamicShape,
    type: z.literal('dynamic_supervisor'),
    id: idSchema,
    restart: restartSchema.default(CHILD_DEFAULTS.restart),
    shutdown: shutdownSchema.default(CHILD_DEFAULTS.supervisorShutdown),
    significant: booleanRule.default(CHILD_DEFAULTS.significant),
  },
  'a dynamic supervisor child spec object',
)
  .superRefine((spec, ctx) => {
    checkSignificantRestart(spec, ctx);
    checkTemplate(spec, ctx);
  })
  .transform((d): NormalizedSupervisorChildSpec => ({
    type: 'supervisor',
    id: d.id,
    name: d.name,
    restart: d.restart,
    shutdown: d.shutdown,
    significant: d.significant,
    strategy: 'one_for_one',
    maxRestarts: d.maxRestarts,
    periodMs: d.periodMs,
    backoff: d.backoff,
    autoShutdown: 'never',
    children: [],
    dynamic: { maxChildren: d.maxChildren, template: d.template as NormalizedDynamicSupervisorSpec['template'] },
  }));

const NEVER_SIGNIFICANT = "expected significant: false under autoShutdown 'never' (a significant child only matters with 'any_significant' or 'all_significant'); given true";

/**
 * OTP's `bad_combination` checks between a supervisor's `autoShutdown` and its children's `significant`
 * flags: 'never' refuses significant children (the flag would do nothing), and the other two need one.
 * Runs even when some fields are wrong, so it checks its own inputs.
 */
function checkAutoShutdown(spec: { autoShutdown?: unknown; children?: unknown }, ctx: z.RefinementCtx): void {
  if (!Array.isArray(spec.children)) return;
  const children = spec.children as { significant?: unknown }[];
  if (spec.autoShutdown === 'never') {
    children.forEach((child, i) => {
      if (child?.significant === true) ctx.addIssue({ code: 'custom', path: ['children', i, 'significant'], input: true, message: NEVER_SIGNIFICANT });
    });
  } else if (typeof spec.autoShutdown === 'string' && !children.some((c) => c?.significant === true)) {
    ctx.addIssue({ code: 'custom', path: ['autoShutdown'], input: spec.autoShutdown, message: `expected at least one significant child under autoShutdown ${render(spec.autoShutdown)}; given none` });
  }
}

/** The problem of adding a child with `significant` to a supervisor whose `autoShutdown` is `autoShutdown`, if any. */
export function significantProblem(significant: boolean, autoShutdown: AutoShutdown): string | null {
  return significant && autoShutdown === 'never' ? NEVER_SIGNIFICANT : null;
}

export { strategySchema, autoShutdownSchema };
