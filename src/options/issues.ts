/**
 * zod issues turned into {@link InvalidSpecError}: one {@link SpecIssue} per problem, with its full dotted
 * path and a message in the grammar "expected ...; given ...". A union (such as `backoff`: an object or
 * `false`) whose input has the shape of one branch reports that branch's own problems at their own paths
 * (`backoff.factor`), never zod's bare "Invalid input".
 */
import type { z } from 'zod';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { render } from './render.js';

/**
 * Parses `input` with `schema`, or throws `InvalidSpecError` (code `ERR_INVALID_SPEC`) naming `what`
 * and listing every problem.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidSpecError(what, specIssues(result.error.issues, input));
}

/** The spec issues of zod's issues on `input`: dotted paths from `input`, messages in the grammar. */
export function specIssues(issues: readonly z.core.$ZodIssue[], input: unknown): SpecIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) collect(issue, [], input, out);
  return out.map(({ path, message }) => ({ path: path.map(String).join('.'), message }));
}

interface RawIssue {
  path: PropertyKey[];
  message: string;
}

function collect(issue: z.core.$ZodIssue, prefix: PropertyKey[], input: unknown, out: RawIssue[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const branch = matchingBranch(issue.errors);
    if (branch !== undefined) {
      for (const inner of branch) collect(inner, path, input, out);
      return;
    }
  }
  out.push({ path, message: message(issue, valueAt(input, path)) });
}

/**
 * The one branch of a failed union whose problems all sit inside the value (the value had that branch's
 * shape, only some fields were wrong), if exactly one did; otherwise the union's own message is clearer.
 */
function matchingBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const inside = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code === 'invalid_union' || i.code === 'unrecognized_keys'));
  return inside.length === 1 ? inside[0] : undefined;
}

/** The issue's message in the grammar; zod's defaults (which the schemas mostly replace) are rephrased. */
function message(issue: z.core.$ZodIssue, given: unknown): string {
  if (/^expected .*; given /s.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}; given ${render(given)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? render(issue.values[0]) : `one of ${issue.values.map(render).join(', ')}`}; given ${render(given)}`;
    case 'unrecognized_keys':
      return `expected no other keys; given unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    default:
      return `expected ${issue.message.replace(/^expected /, '')}; given ${render(given)}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    try {
      v = (v as Record<PropertyKey, unknown>)[key];
    } catch {
      return undefined;
    }
  }
  return v;
}
