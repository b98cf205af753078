/**
 * One source layout for TypeScript programs that runs both under tsx (the `.ts` files themselves) and
 * after `tsc` (the `.js` files it writes): the main module names its worker module without an extension
 * and takes its own.
 */
import { InvalidSpecError } from '../errors.js';
import { render } from '../options/render.js';

/** The extensions a worker module may take from its caller, as tsc maps them (`.mts` -> `.mjs`...). */
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/**
 * The URL of a worker module next to the calling module, with the caller's own extension: `.ts` when
 * the caller runs as `main.ts` (under tsx, or Node's type stripping), `.js` once tsc has compiled it to
 * `main.js` (and `.mts`/`.mjs`, `.cts`/`.cjs` alike). Decided from the caller's name alone, so it reads no
 * file and the answer cannot change between starts. A caller with another extension (a bundle) gets `.js`.
 *
 * Throws `InvalidSpecError` (`ERR_INVALID_SPEC`) when `base` is not a URL or `path` is not a relative
 * path without an extension.
 *
 * @param base The caller's `import.meta.url`.
 * @param path The worker module relative to the caller, without its extension (`'./prices.worker'`).
 * @example
 * ```ts
 * // main.ts: starts prices.worker.ts under tsx, and dist/prices.worker.js from dist/main.js
 * import { startWorker, workerUrl } from 'threadvisor';
 * import type Prices from './prices.worker.js';
 * const prices = await startWorker<typeof Prices>({ module: workerUrl(import.meta.url, './prices.worker') });
 * ```
 */
export function workerUrl(base: string | URL, path: string): URL {
  let url: URL;
  try {
    url = new URL(typeof base === 'string' ? base : base.href);
  } catch {
    throw new InvalidSpecError('workerUrl(base, path)', [{ path: 'base', message: `expected the caller's import.meta.url; given ${render(base)}` }]);
  }
  if (typeof path !== 'string' || !/^\.\.?\//.test(path) || EXTENSIONS.some((ext) => path.endsWith(ext))) {
    throw new InvalidSpecError('workerUrl(base, path)', [{
      path: 'path',
      message: `expected a relative path without an extension (the caller's is added), such as './prices.worker'; given ${render(path)}`,
    }]);
  }
  const own = /\.[cm]?[jt]s$/i.exec(url.pathname)?.[0].toLowerCase() ?? '.js';
  return new URL(`${path}${own}`, url);
}
