/**
 * The test kit as a user installs it: `npm pack` the built package, unpack the tarball into a consumer
 * project whose node_modules holds threadvisor's runtime dependencies but no fast-check, and load
 * `threadvisor/testing` there (ESM and CJS, in child processes) and type-check a consumer of it with tsc.
 * fast-check is an optional peer dependency: only `threadvisor/testing/arbitraries` may need it.
 * Needs dist/ (`npm test` builds first).
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

let work: string;
let tarball: string;

/**
 * A consumer project in `work/<name>`: threadvisor unpacked from the tarball into its node_modules, the
 * runtime dependencies and Node's types linked in, and `extra` packages (fast-check) only when asked.
 */
function consumer(name: string, extra: string[] = []): string {
  const dir = join(work, name);
  const target = join(dir, 'node_modules', 'threadvisor');
  mkdirSync(target, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node', ...extra]) {
    symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }));
  return dir;
}

function node(cwd: string, file: string, code: string): SpawnSyncReturns<string> {
  writeFileSync(join(cwd, file), code);
  return spawnSync(process.execPath, [file], { cwd, env, encoding: 'utf8', timeout: 20_000 });
}

function tsc(cwd: string, files: Record<string, string>): SpawnSyncReturns<string> {
  for (const [file, code] of Object.entries(files)) writeFileSync(join(cwd, file), code);
  const compilerOptions = {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
    // Check the shipped declaration files too: an import of a missing package in them is an error.
    skipLibCheck: false, types: ['node'],
  };
  writeFileSync(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
  return spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

/** What each consumer script prints: a run of the simulator and the shell's simulated host. */
const USE_KIT = `
const spec = { children: [{ type: 'worker', id: 'db', module: 'sim:db' }] };
const result = kit.simulate(spec, [{ at: 10, path: 'db', fault: 'crash', reason: 'error' }], { untilMs: 100 });
const host = new kit.SimulatedHost(new kit.VirtualClock()).define('sim:db', { init: () => ({}) });
console.log(JSON.stringify({ exited: result.exited, paths: kit.workerPaths(spec), host: host.constructor.name }));
`;
const KIT_RAN = { exited: 'shutdown', paths: ['db'], host: 'SimulatedHost' };

const USE_ARBITRARIES = `
const [spec] = fc.sample(arb.treeArbitrary({ maxDepth: 2 }), { numRuns: 1, seed: 1 });
console.log(JSON.stringify({ children: Array.isArray(spec.children), faults: typeof arb.faultScheduleArbitrary, scenarios: typeof arb.scenarioArbitrary }));
`;
const ARBITRARIES_RAN = { children: true, faults: 'function', scenarios: 'function' };

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'testing.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  work = mkdtempSync(join(tmpdir(), 'threadvisor-pack-'));
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(work, filename);
}, 60_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('threadvisor/testing installed without fast-check', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('without-fast-check');
  });

  it('is a project where fast-check cannot be resolved', () => {
    const probe = node(dir, 'probe.mjs', "await import('fast-check');");
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain("Cannot find package 'fast-check'");
  });

  it('loads the simulator, SimulatedHost and VirtualClock through import', () => {
    const run = node(dir, 'kit.mjs', `import * as kit from 'threadvisor/testing';\n${USE_KIT}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(KIT_RAN);
    expect(run.status).toBe(0);
  });

  it('loads the simulator, SimulatedHost and VirtualClock through require', () => {
    const run = node(dir, 'kit.cjs', `const kit = require('threadvisor/testing');\n${USE_KIT}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(KIT_RAN);
    expect(run.status).toBe(0);
  });

  it('type-checks an ESM and a CommonJS consumer against the shipped declarations', () => {
    const body = `
const spec: SupervisorSpec = { children: [{ type: 'worker', id: 'db', module: 'sim:db' }] };
const faults: Fault[] = [{ at: 10, path: 'db', fault: 'crash', reason: 'error' }];
const result: SimulationResult = simulate(spec, faults, { seed: 1 });
const host: SimulatedHost = new SimulatedHost(new VirtualClock());
// @ts-expect-error the declarations are real types, not \`any\`: a crash reason is one of a closed set
const typo: Fault = { at: 1, path: 'db', fault: 'crash', reason: 'boom' };
export const used = [result.exited, host, typo, workerPaths(spec)];
`;
    const imports = "import { simulate, workerPaths, SimulatedHost, VirtualClock, type Fault, type SimulationResult } from 'threadvisor/testing';\nimport type { SupervisorSpec } from 'threadvisor';\n";
    const checked = tsc(dir, { 'uses-kit.ts': imports + body, 'uses-kit.cts': imports + body });
    expect(checked.stdout).toBe('');
    expect(checked.status).toBe(0);
  }, 60_000);

  it('refuses the arbitraries entry with an error that names fast-check', () => {
    const run = node(dir, 'arbitraries.mjs', "await import('threadvisor/testing/arbitraries');");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Cannot find package 'fast-check'");
  });
});

describe('threadvisor/testing/arbitraries installed with fast-check', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('with-fast-check', ['fast-check']);
  });

  it('loads the arbitraries through import', () => {
    const run = node(dir, 'arb.mjs', `import fc from 'fast-check';\nimport * as arb from 'threadvisor/testing/arbitraries';\n${USE_ARBITRARIES}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(ARBITRARIES_RAN);
    expect(run.status).toBe(0);
  });

  it('loads the arbitraries through require', () => {
    const run = node(dir, 'arb.cjs', `const fc = require('fast-check');\nconst arb = require('threadvisor/testing/arbitraries');\n${USE_ARBITRARIES}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(ARBITRARIES_RAN);
    expect(run.status).toBe(0);
  });
});
