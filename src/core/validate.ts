import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { MAX_NESTING } from '../options/defaults.js';
import { parseOrThrow, specIssues } from '../options/issues.js';
import type { NormalizedChildSpec } from './child-spec.js';
import { childSpecSchema, dynamicSupervisorSpecSchema, significantProblem, supervisorSpecSchema } from './supervisor-flags.js';
import type { AutoShutdown, NormalizedDynamicSupervisorSpec, NormalizedSupervisorSpec } from './supervisor-flags.js';

/**
 * Validates a root supervisor spec and fills in its defaults, or throws `InvalidSpecError`
 * (`ERR_INVALID_SPEC`) naming each problem's path, what is accepted and what was given. Every field is
 * checked in one pass, checks across fields (unique ids, `significant` with `restart` and `autoShutdown`)
 * included. A spec nested deeper than 100 supervisors, or one that contains itself, is refused before
 * the schema walks it. Nothing is started before this passes.
 */
export function parseSupervisorSpec(input: unknown): NormalizedSupervisorSpec {
  checkNesting(input, 'supervisor spec', []);
  return parseOrThrow(supervisorSpecSchema, input, 'supervisor spec') as NormalizedSupervisorSpec;
}

/** Validates a dynamic supervisor spec and fills in its defaults; throws `InvalidSpecError` (`ERR_INVALID_SPEC`). */
export function parseDynamicSupervisorSpec(input: unknown): NormalizedDynamicSupervisorSpec {
  return parseOrThrow(dynamicSupervisorSpecSchema, input, 'dynamic supervisor spec') as unknown as NormalizedDynamicSupervisorSpec;
}

/** What `parseChildSpec` checks a child against: the flags of the supervisor it is added to. */
export interface ChildSpecTarget {
  /** The target supervisor's `autoShutdown`: under 'never' a significant child is refused. @default 'never' */
  autoShutdown?: AutoShutdown;
}

/**
 * Validates one child spec (for `startChild`) against the supervisor it is added to, with paths relative
 * to the child (`module`, `children.0.id`). Throws `InvalidSpecError` (`ERR_INVALID_SPEC`).
 */
export function parseChildSpec(input: unknown, target: ChildSpecTarget = {}): NormalizedChildSpec {
  checkNesting(input, 'child spec', [], 1);
  const result = childSpecSchema.safeParse(input);
  const issues = result.success ? [] : specIssues(result.error.issues, input);
  const significant = typeof input === 'object' && input !== null && (input as { significant?: unknown }).significant === true;
  const problem = significantProblem(significant, target.autoShutdown ?? 'never');
  if (problem !== null) issues.push({ path: 'significant', message: problem });
  if (!result.success || issues.length > 0) throw new InvalidSpecError('child spec', issues);
  return result.data;
}

/**
 * Refuses a spec that nests supervisors more than {@link MAX_NESTING} levels deep or contains itself
 * (`children` holding an ancestor), which would overflow the stack of any recursive walk. Only the tree's
 * skeleton (`children` arrays) is followed, and never deeper than the limit.
 */
function checkNesting(input: unknown, what: string, path: readonly (string | number)[], level = 0): void {
  const issues: SpecIssue[] = [];
  walk(input, path, level, [], issues);
  if (issues.length > 0) throw new InvalidSpecError(what, issues);
}

function walk(node: unknown, path: readonly (string | number)[], level: number, ancestors: { node: object; path: string }[], issues: SpecIssue[]): void {
  const children = childrenOf(node);
  if (children === undefined) return;
  const here = [...ancestors, { node: node as object, path: path.join('.') || '(root)' }];
  children.forEach((child, i) => {
    const at = [...path, 'children', i];
    const ancestor = here.find((a) => a.node === child);
    if (ancestor !== undefined) {
      issues.push({ path: at.join('.'), message: `expected a tree of child specs; given a spec that contains itself (this is the spec at ${ancestor.path})` });
    } else if (childrenOf(child) !== undefined && level + 1 > MAX_NESTING) {
      issues.push({ path: at.join('.'), message: `expected supervisors nested at most ${MAX_NESTING} levels deep; given a supervisor at level ${level + 1}` });
    } else {
      walk(child, at, level + 1, here, issues);
    }
  });
}

function childrenOf(node: unknown): readonly unknown[] | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  try {
    const children = (node as { children?: unknown }).children;
    return Array.isArray(children) ? children : undefined;
  } catch {
    // A getter that throws is the schema's to report, not the walk's.
    return undefined;
  }
}
