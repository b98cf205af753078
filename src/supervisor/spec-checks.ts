/**
 * Checks a spec against the world before anything starts (the shell's half of validation; the core's zod
 * schemas cannot do I/O): every worker module must be an existing file, not a directory.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';
import { render } from '../options/render.js';
import type { ChildHost } from '../seams/child-host.js';
import { moduleUrl } from '../runtime/settings.js';

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

/**
 * Checks one worker module for a thread host; returns the problem (in the grammar "expected ...; given
 * ..."), or `null` when it is an existing file.
 */
export function moduleProblem(module: string | URL): string | null {
  const url = moduleUrl(module);
  if (typeof url === 'string') return url;
  const path = fileURLToPath(url);
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return `expected an existing worker module file; given ${render(module)} (${(error as Error).message})`;
  }
  if (stats === undefined) return `expected an existing worker module file; given ${render(module)} (no file at ${path}${siblingHint(path)})`;
  if (stats.isDirectory()) return `expected a worker module file; given ${render(module)} (a directory)`;
  return null;
}

/**
 * The most common reason a worker module is missing is the other half of a TypeScript layout: `.js`
 * named while running the `.ts` sources (under tsx), or `.ts` named where only tsc's `.js` output exists.
 * Only run when the file is missing, so a start that finds its module reads nothing more.
 */
function siblingHint(path: string): string {
  const found = /\.([cm]?)([jt])s$/i.exec(path);
  if (found === null) return '';
  const [, flavour = '', kind = ''] = found;
  const isTs = kind.toLowerCase() === 't';
  const other = `${path.slice(0, -found[0].length)}.${flavour}${isTs ? 'js' : 'ts'}`;
  if (!existsSync(other)) return '';
  // The usual cause is a main module that names its worker with a fixed extension: `workerUrl` picks the
  // caller's own (`.ts` under tsx, `.js` after tsc), so one source layout runs both ways.
  const stem = basename(other).replace(/\.[cm]?[jt]s$/i, '');
  const fix = `name it with workerUrl(import.meta.url, './${stem}'), which follows your own extension`;
  return isTs
    ? `; a JavaScript sibling exists: ${basename(other)} (${fix}; or run the .ts sources under tsx)`
    : `; a TypeScript sibling exists: ${basename(other)} (${fix}; or build with tsc)`;
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
