/**
 * Shared by the packaging tests that install threadvisor as a user would: `npm pack` the built package
 * once per test file, unpack the tarball into fresh consumer projects, and run node and tsc there in
 * child processes. The tarball, not the working tree, is what users get, so `files`, `exports` and the
 * shipped declarations are only really tested this way. Each test file keeps its own specifics (which
 * dist file it needs, which optional peers a consumer gets, CommonJS or ESM, emit or not) as arguments.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** A child process's environment with no extra resolution paths, so only the consumer's node_modules count. */
const env = { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' };

/** What a consumer project is made with, beyond threadvisor and its runtime dependencies. */
export interface ConsumerOptions {
  /**
   * Packages linked from our node_modules on top of the runtime dependencies and `@types/node`: the
   * optional peers (fast-check, prom-client) are left out unless a test asks, so their absence is tested.
   */
  extra?: string[];
  /** The project's `"type"`: `module` (the default) or `commonjs`, as a project made by `npm init` is. */
  type?: 'module' | 'commonjs';
  /** Files written into the project's directory, by name. */
  files?: Record<string, string>;
}

/** Makes consumer projects from the tarball packed for the current test file. */
export type MakeConsumer = (name: string, options?: ConsumerOptions) => string;

/**
 * Registers a `beforeAll` that packs the package into a fresh temp directory and an `afterAll` that
 * removes it, and returns the function that makes consumer projects there. Call it at the top level of
 * a test file: the pack runs once per file, and each project is unpacked from that one tarball.
 *
 * @param needs a file under dist/ the tests need; its absence fails fast with the command that builds it,
 *   rather than packing a tarball without it and failing on a confusing import error.
 * @param prefix the temp directory's name prefix, so a directory left behind says which test made it.
 */
export function packedConsumers(needs: string, prefix: string): MakeConsumer {
  let work: string | undefined;
  let tarball: string | undefined;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist', needs))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
    work = mkdtempSync(join(tmpdir(), prefix));
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarball = join(work, filename);
  }, 60_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /**
   * A consumer project in `<temp>/<name>`: threadvisor unpacked from the tarball into its node_modules,
   * the runtime dependencies and Node's types linked in (linking, not installing: the tests stay offline),
   * and the `extra` packages only when asked. Returns the project's directory.
   */
  return (name, { extra = [], type = 'module', files = {} } = {}) => {
    if (work === undefined || tarball === undefined) throw new Error('no tarball: make consumers inside a test or a beforeAll, after the pack');
    const dir = join(work, name);
    const target = join(dir, 'node_modules', 'threadvisor');
    mkdirSync(target, { recursive: true });
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    for (const dep of [...Object.keys(pkg.dependencies), '@types/node', ...extra]) {
      symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, type }));
    for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
    return dir;
  };
}

/**
 * Runs `file` with node in the consumer project `cwd`, writing `code` into it first when given. The
 * timeout leaves room for the README example's real worker threads; a hung child fails the test.
 */
export function node(cwd: string, file: string, code?: string): SpawnSyncReturns<string> {
  if (code !== undefined) writeFileSync(join(cwd, file), code);
  return spawnSync(process.execPath, [file], { cwd, env, encoding: 'utf8', timeout: 30_000 });
}

/**
 * Writes `files` into the consumer project `cwd` and compiles exactly them with our tsc, as a user's
 * NodeNext project would, so resolution goes through the package's `exports` and shipped declarations.
 *
 * @param emit write the .js files (to run them afterwards); by default tsc only type-checks.
 */
export function tsc(cwd: string, files: Record<string, string>, { emit = false }: { emit?: boolean } = {}): SpawnSyncReturns<string> {
  for (const [file, code] of Object.entries(files)) writeFileSync(join(cwd, file), code);
  const compilerOptions = {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: !emit,
    // Check the shipped declaration files too: an import of a missing package in them is an error.
    skipLibCheck: false, types: ['node'],
  };
  writeFileSync(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
  return spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}
