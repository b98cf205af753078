import { z } from 'zod';
import { backoffSchema, type Backoff, type BackoffOptions } from './backoff.js';
import {
  idSchema, restartSchema, shutdownSchema, show, workerChildSchema,
  type ChildSpec, type NormalizedChildSpec, type NormalizedSupervisorChildSpec, type WorkerChildSpec, type NormalizedWorkerChildSpec,
} from './child-spec.js';

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

/** A dynamic supervisor (Elixir's DynamicSupervisor): one template, children started at run time. */
export interface DynamicSupervisorSpec extends Omit<SupervisorFlags, 'strategy' | 'autoShutdown'> {
  name?: string;
  /** Every child is started from this spec; `startChild(extraArgs)` merges its args into `args`. */
  template: Omit<WorkerChildSpec, 'id' | 'type'>;
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
  error: (i) => `expected one of 'one_for_one', 'one_for_all', 'rest_for_one'; given ${show(i.input)}`,
});
const autoShutdownSchema = z.enum(['never', 'any_significant', 'all_significant'], {
  error: (i) => `expected one of 'never', 'any_significant', 'all_significant'; given ${show(i.input)}`,
});
const maxRestartsSchema = z
  .number({ error: (i) => `expected a whole number >= 0; given ${show(i.input)}` })
  .int(`expected a whole number >= 0`)
  .nonnegative('expected a whole number >= 0');
const periodSchema = z
  .number({ error: (i) => `expected a number of ms > 0; given ${show(i.input)}` })
  .finite()
  .positive('expected a number of ms > 0');

const flagShape = {
  name: z.string().min(1).optional(),
  strategy: strategySchema.default('one_for_one'),
  maxRestarts: maxRestartsSchema.default(3),
  periodMs: periodSchema.default(5000),
  backoff: z
    .union([backoffSchema, z.literal(false)])
    .default(false)
    .transform((b) => (b === false ? null : (b as Backoff))),
  autoShutdown: autoShutdownSchema.default('never'),
};

type ChildIn = z.input<typeof workerChildSchema> | Record<string, unknown>;

const childSchema: z.ZodType<NormalizedChildSpec, ChildIn> = z.lazy(() =>
  z.discriminatedUnion('type', [workerChildSchema, supervisorChildSchema, dynamicSupervisorChildSchema], {
    error: (i) =>
      i.code === 'invalid_union' ? `expected a child spec with type 'worker' or 'supervisor' or 'dynamic_supervisor' (use worker(), supervisor() or dynamicSupervisor()); given ${show((i.input as { type?: unknown } | undefined)?.type)} as type` : undefined,
  }),
) as unknown as z.ZodType<NormalizedChildSpec, ChildIn>;

const childrenSchema = z.array(childSchema).superRefine((children, ctx) => {
  const seen = new Map<string, number>();
  children.forEach((child, index) => {
    const first = seen.get(child.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `expected a unique id; given ${show(child.id)}, already used by children.${first}` });
    } else seen.set(child.id, index);
    if (child.significant && child.restart === 'permanent') {
      ctx.addIssue({ code: 'custom', path: [index, 'significant'], message: `a significant child must be 'transient' or 'temporary'; given restart 'permanent'` });
    }
  });
});

const supervisorChildSchema = z
  .object({
    type: z.literal('supervisor'),
    id: idSchema,
    restart: restartSchema.default('permanent'),
    shutdown: shutdownSchema.default('infinity'),
    significant: z.boolean().default(false),
    ...flagShape,
    children: childrenSchema,
  })
  .strict()
  .superRefine((spec, ctx) => checkSignificant(spec, ctx));

/** The zod schema of a root {@link SupervisorSpec}. */
export const supervisorSpecSchema = z
  .object({ ...flagShape, children: childrenSchema })
  .strict()
  .superRefine((spec, ctx) => checkSignificant(spec, ctx));

/** The zod schema of a {@link DynamicSupervisorSpec}. */
export const dynamicSupervisorSpecSchema = z
  .object({
    name: flagShape.name,
    maxRestarts: flagShape.maxRestarts,
    periodMs: flagShape.periodMs,
    backoff: flagShape.backoff,
    template: workerChildSchema.omit({ id: true, type: true }).extend({ type: z.literal('worker').optional() }),
    maxChildren: z
      .number({ error: (i) => `expected a whole number > 0 or Infinity; given ${show(i.input)}` })
      .refine((n) => n === Infinity || (Number.isInteger(n) && n > 0), { message: 'expected a whole number > 0 or Infinity' })
      .default(Infinity),
  })
  .strict();

/**
 * The zod schema of a `DynamicSupervisorChildSpec`. It normalizes into a supervisor child (its parent
 * supervises it like any other) with no children and the template under `dynamic`.
 */
const dynamicSupervisorChildSchema = dynamicSupervisorSpecSchema
  .extend({
    type: z.literal('dynamic_supervisor'),
    id: idSchema,
    restart: restartSchema.default('permanent'),
    shutdown: shutdownSchema.default('infinity'),
    significant: z.boolean().default(false),
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

function checkSignificant(spec: { autoShutdown: AutoShutdown; children: NormalizedChildSpec[] }, ctx: z.RefinementCtx): void {
  if (spec.autoShutdown !== 'never' && !spec.children.some((c) => c.significant)) {
    ctx.addIssue({ code: 'custom', path: ['autoShutdown'], message: `'${spec.autoShutdown}' needs at least one significant child; given none` });
  }
}

export { strategySchema, autoShutdownSchema };
