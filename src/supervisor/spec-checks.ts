/**
 * Checks a spec against the world before anything starts (the shell's half of validation; the core's zod
 * schemas cannot do I/O): every worker module must be a file that exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { show, type NormalizedChildSpec } from '../core/child-spec.js';
import type { ChildHost } from '../seams/child-host.js';
import { moduleUrl } from '../runtime/settings.js';

/** Throws `InvalidSpecError` listing every worker module (at any depth, dynamic templates too) the host cannot run. */
export function checkModules(children: readonly NormalizedChildSpec[], host: ChildHost, what: string, prefix = 'children'): void {
  const issues: SpecIssue[] = [];
  collect(children, prefix, issues, host.checkModule?.bind(host) ?? moduleProblem);
  if (issues.length > 0) throw new InvalidSpecError(what, issues);
}

/** Checks one worker module for a thread host; returns the problem, or `null` when it is an existing file. */
export function moduleProblem(module: string | URL): string | null {
  const url = moduleUrl(module);
  if (typeof url === 'string') return url;
  const path = fileURLToPath(url);
  return existsSync(path) ? null : `worker module not found: given ${show(module)} (no file at ${path})`;
}

type Check = (module: string | URL) => string | null;

function collect(children: readonly NormalizedChildSpec[], prefix: string, issues: SpecIssue[], check: Check): void {
  children.forEach((child, i) => {
    if (child.type === 'worker') {
      const problem = check(child.module);
      if (problem !== null) issues.push({ path: `${prefix}.${i}.module`, message: problem });
    } else if (child.dynamic !== undefined) {
      // A dynamic supervisor starts its children later, from the template: refuse a bad module now.
      const problem = check(child.dynamic.template.module);
      if (problem !== null) issues.push({ path: `${prefix}.${i}.template.module`, message: problem });
    } else {
      collect(child.children, `${prefix}.${i}.children`, issues, check);
    }
  });
}
