/**
 * Checks a spec against the world before anything starts (the shell's half of validation; the core's zod
 * schemas cannot do I/O): every worker module must be an existing file, not a directory.
 */
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { ChildHost } from '../seams/child-host.js';
import { moduleProblem } from '../runtime/module-problem.js';

export { moduleProblem };

/** Throws `InvalidSpecError` (`ERR_INVALID_SPEC`) listing every worker module (at any depth, dynamic templates too) the host cannot run. */
export function checkModules(children: readonly NormalizedChildSpec[], host: ChildHost, what: string, prefix = 'children'): void {
  const issues: SpecIssue[] = [];
  const check = host.checkModule?.bind(host) ?? moduleProblem;
  children.forEach((child, i) => collect(child, `${prefix}.${i}`, issues, check));
  if (issues.length > 0) throw new InvalidSpecError(what, issues);
}

/**
 * Throws `InvalidSpecError` (`ERR_INVALID_SPEC`) listing every worker module of one child spec (for
 * `startChild`) the host cannot run, with paths relative to the child (`module`, `children.0.module`).
 */
export function checkChildModules(child: NormalizedChildSpec, host: ChildHost, what: string): void {
  const issues: SpecIssue[] = [];
  collect(child, '', issues, host.checkModule?.bind(host) ?? moduleProblem);
  if (issues.length > 0) throw new InvalidSpecError(what, issues);
}

type Check = (module: string | URL) => string | null;

function collect(child: NormalizedChildSpec, at: string, issues: SpecIssue[], check: Check): void {
  const prefix = at === '' ? '' : `${at}.`;
  if (child.type === 'worker') {
    const problem = check(child.module);
    if (problem !== null) issues.push({ path: `${prefix}module`, message: problem });
  } else if (child.dynamic !== undefined) {
    // A dynamic supervisor starts its children later, from the template: refuse a bad module now.
    const problem = check(child.dynamic.template.module);
    if (problem !== null) issues.push({ path: `${prefix}template.module`, message: problem });
  } else {
    child.children.forEach((c, i) => collect(c, `${prefix}children.${i}`, issues, check));
  }
}
