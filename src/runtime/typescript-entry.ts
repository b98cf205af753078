/**
 * How a worker module written in TypeScript gets into a thread. A thread's entry must be something Node
 * itself can load, and on Node 20 a `.ts` entry is not: tsx registers its hooks on the main thread only
 * (its loader skips worker threads), so `new Worker(x.ts)` and a plain `import()` of a `.ts` file in a
 * thread both fail with `ERR_UNKNOWN_FILE_EXTENSION`, under `node --import tsx` and the `tsx` CLI alike.
 *
 * So for a `.ts`/`.mts`/`.cts` module the host starts the thread on the small JavaScript entry below
 * (evaluated, so it needs no file of its own in either build, and the worker bundle keeps one file and no
 * dependencies). It imports the user's module once, after making sure something can load TypeScript:
 *
 * - Node's own type stripping when this Node has it on (`process.features.typescript`, or the
 *   `--experimental-strip-types`/`--experimental-transform-types` flag on Node 22.6 to 22.9);
 * - else tsx, registered inside the thread (`tsx/esm/api` `register()`, and `tsx/cjs/api` for
 *   `require()` of `.ts` files), resolved from the worker module's own folder, so threadvisor does not
 *   depend on tsx: the application that runs TypeScript does;
 * - else whatever loader the thread already has; if none loads it, a `TypeScriptWorkerError`
 *   (`ERR_TYPESCRIPT_WORKER`) says the three ways to run TypeScript workers.
 *
 * Loading is decided before the one `import()`, not tried and retried: Node caches a failed load of a URL,
 * so a second `import()` of the same module fails again even once tsx is registered, and importing it
 * under another URL (a query) would evaluate it twice and put the query in every stack.
 *
 * From there the module runs as any worker module: its `defineWorker` call installs the runtime, which
 * imports the (already evaluated) entry to read its exports. tsx enables source maps, so crash stacks
 * name the `.ts` files and lines.
 */
import { BOOT_KEY } from '../protocol/boot-data.js';

/** `true` for a module URL Node would only load through a TypeScript loader (`.ts`, `.mts`, `.cts`). */
export function isTypeScriptModule(url: URL): boolean {
  return /\.[cm]?ts$/i.test(url.pathname);
}

/** The code of a TypeScript module's thread entry, run with `new Worker(code, { eval: true })` (CommonJS). */
export const TYPESCRIPT_ENTRY = `'use strict';
const { workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL, fileURLToPath } = require('node:url');
const { dirname, join } = require('node:path');
const href = workerData[${JSON.stringify(BOOT_KEY)}].module;

function nodeStripsTypes() {
  if (process.features.typescript) return true;
  const flags = process.execArgv.concat((process.env.NODE_OPTIONS || '').split(/\\s+/));
  return flags.some((f) => f === '--experimental-strip-types' || f === '--experimental-transform-types');
}

// The import target of an exports entry (a string, or conditions holding one).
function importTarget(entry) {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const target = condition in entry ? importTarget(entry[condition]) : undefined;
    if (target !== undefined) return target;
  }
  return undefined;
}

// Registers the tsx the worker module's own folder resolves to; false when there is none.
async function registerTsx() {
  const requireFromModule = createRequire(href);
  let manifestPath;
  try {
    manifestPath = requireFromModule.resolve('tsx/package.json');
  } catch {
    return false;
  }
  // tsx/esm/api's CommonJS build registers its hooks from a wrong path: load its ES build, found through
  // the package's own exports map (Node 20 resolves import conditions from another parent only behind a flag).
  const target = importTarget((require(manifestPath).exports || {})['./esm/api']);
  if (target === undefined) return false;
  const esm = await import(pathToFileURL(join(dirname(manifestPath), target)).href);
  esm.register();
  try {
    requireFromModule('tsx/cjs/api').register();
  } catch {
    // Only require() of .ts files needs it; import() is covered.
  }
  return true;
}

async function main() {
  const tsx = nodeStripsTypes() ? false : await registerTsx();
  try {
    await import(href);
  } catch (error) {
    if (error === null || typeof error !== 'object' || error.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const path = fileURLToPath(href);
    const why = tsx
      ? 'tsx was registered in its thread but did not load it (' + error.message + ')'
      : 'Node ' + process.version + ' does not strip types here and no tsx can be found from ' + dirname(path);
    const failure = new Error('cannot load the TypeScript worker module ' + path + ': ' + why +
      '. To run TypeScript workers: run the program under tsx (npm install --save-dev tsx; node --import tsx main.ts),' +
      ' or use Node >= 22.6 with type stripping (--experimental-strip-types; on by default from Node 23.6),' +
      ' or compile with tsc and start the .js file');
    failure.name = 'TypeScriptWorkerError';
    failure.code = 'ERR_TYPESCRIPT_WORKER';
    failure.cause = error;
    throw failure;
  }
}

// Thrown from a timer, a failure is an uncaught exception whatever --unhandled-rejections says, so the
// thread ends with an 'error' the host reports as the start failure.
main().catch((error) => setImmediate(() => { throw error; }));
`;
