/**
 * Whether a worker module can be run by a thread host: an existing file, not a directory, named by a
 * `file:` URL or an absolute path. Shared by supervisors (every module of a spec) and pools.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '../options/render.js';
import { moduleUrl } from './settings.js';

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
