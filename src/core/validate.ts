import type { z } from 'zod';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { show } from './child-spec.js';
import type { NormalizedChildSpec } from './child-spec.js';
import { dynamicSupervisorSpecSchema, supervisorSpecSchema } from './supervisor-flags.js';
import type { NormalizedDynamicSupervisorSpec, NormalizedSupervisorSpec } from './supervisor-flags.js';

/**
 * Validates a root supervisor spec and fills in its defaults, or throws `InvalidSpecError` naming each
 * problem's path, what is accepted and what was given. Every field is checked in one pass; checks across
 * fields (unique ids, `significant` with `restart`) run once the fields themselves are valid. Nothing is
 * started before this passes.
 */
export function parseSupervisorSpec(input: unknown): NormalizedSupervisorSpec {
  return parseWith(supervisorSpecSchema, input, 'supervisor spec') as NormalizedSupervisorSpec;
}

/** Validates a dynamic supervisor spec and fills in its defaults. */
export function parseDynamicSupervisorSpec(input: unknown): NormalizedDynamicSupervisorSpec {
  return parseWith(dynamicSupervisorSpecSchema, input, 'dynamic supervisor spec') as unknown as NormalizedDynamicSupervisorSpec;
}

/** Validates one child spec (for `startChild`) by wrapping it as the only child of a supervisor. */
export function parseChildSpec(input: unknown): NormalizedChildSpec {
  const parsed = parseWith(supervisorSpecSchema, { children: [input] }, 'child spec', ['children', 0]);
  return (parsed as NormalizedSupervisorSpec).children[0]!;
}

function parseWith(schema: z.ZodType, input: unknown, what: string, strip: readonly PropertyKey[] = []): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: SpecIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.slice(startsWith(issue.path, strip) ? strip.length : 0);
    return { path: path.map(String).join('.'), message: describe(issue, input) };
  });
  throw new InvalidSpecError(what, issues);
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

/** zod's own message, completed with the value that was given when zod did not say it. */
function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.message.includes('given')) return issue.message;
  return `${issue.message}; given ${show(valueAt(input, issue.path))}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
