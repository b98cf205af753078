/**
 * What `threadvisor run <module>` runs: the module's default export, else its `spec` export, each a
 * supervisor spec or a function (sync or async) returning one. Only the shape is checked here (an object
 * with `children`); `run()` validates the spec itself and refuses a bad one as a start failure.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { TreeModuleError } from '../errors.js';
import { render } from '../options/render.js';

/**
 * Imports `module` (a path, relative to `cwd`, or a `file:` URL) and returns the tree spec it exports.
 * @throws TreeModuleError (`ERR_TREE_MODULE`) when the file is missing, fails to load, or exports no spec.
 */
export async function loadTreeSpec(module: string, cwd: string): Promise<SupervisorSpec> {
  const path = module.startsWith('file:') ? fileURLToPath(module) : isAbsolute(module) ? module : resolve(cwd, module);
  if (!existsSync(path) || !statSync(path).isFile()) throw new TreeModuleError(module, `no such file: ${path}`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TreeModuleError(module, `it failed to load: ${describe(error)}`, { cause: error });
  }
  const name = exports.default !== undefined ? 'default export' : exports.spec !== undefined ? '`spec` export' : null;
  if (name === null) throw new TreeModuleError(module, 'it exports neither a default nor `spec`; export a supervisor spec, or a function returning one');
  let candidate = exports.default ?? exports.spec;
  if (typeof candidate === 'function') {
    try {
      candidate = await (candidate as () => unknown)();
    } catch (error) {
      throw new TreeModuleError(module, `its ${name} (a function) threw: ${describe(error)}`, { cause: error });
    }
  }
  if (typeof candidate !== 'object' || candidate === null || !Array.isArray((candidate as { children?: unknown }).children)) {
    throw new TreeModuleError(module, `expected its ${name} to be a supervisor spec (an object with children) or a function returning one; given ${render(candidate)}`);
  }
  return candidate as SupervisorSpec;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : render(error);
}
