/**
 * The README's quick example as a user runs it: `npm pack` the built package, unpack the tarball into a
 * fresh consumer project (its runtime dependencies linked from ours), write the README's code blocks
 * into it verbatim and run them with node, real worker threads included. The CommonJS block runs as
 * written (a project made by `npm init` is CommonJS); the ESM blocks are TypeScript, compiled with tsc
 * (NodeNext) in a `"type": "module"` project first. Needs dist/ (`npm test` builds first).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const env = { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' };

let work: string;
let tarball: string;

/** The code blocks of language `lang` in the README section that starts with `heading`, up to the next heading. */
function blocks(heading: string, lang: string): Record<string, string> {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section '${heading}'`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const files: Record<string, string> = {};
  // The fence may carry attributes after the language (`js commonjs`: scripts/docs-check.mjs reads them).
  for (const [, code] of section.matchAll(new RegExp('```' + lang + '(?:[ \\t][^\\n]*)?\\n([\\s\\S]*?)```', 'g'))) {
    // Each block starts with a comment naming its file: `// main.ts` or `// counter.worker.ts — ...`.
    const name = /^\/\/ (\S+)/.exec(code!)?.[1];
    if (name === undefined) throw new Error(`a ${lang} block in '${heading}' does not start with its file name`);
    files[name] = code!;
  }
  return files;
}

/** A consumer project: threadvisor unpacked from the tarball, its runtime dependencies linked in. */
function consumer(name: string, type: 'commonjs' | 'module', files: Record<string, string>): string {
  const dir = join(work, name);
  const target = join(dir, 'node_modules', 'threadvisor');
  mkdirSync(target, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node']) {
    symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', type }));
  for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
  return dir;
}

function node(cwd: string, file: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [file], { cwd, env, encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  work = mkdtempSync(join(tmpdir(), 'threadvisor-readme-'));
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(work, filename);
}, 60_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the README's quick example, run from the packed package", () => {
  it('the CommonJS version runs as written in a CommonJS project', () => {
    const files = blocks('### CommonJS', 'js');
    expect(Object.keys(files).sort()).toEqual(['counter.worker.js', 'main.js']);
    const dir = consumer('cjs', 'commonjs', files);
    const run = node(dir, 'main.js');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('3\n');
    expect(run.status).toBe(0);
  });

  it('the ESM version compiles with tsc (NodeNext) and runs in a "type": "module" project', () => {
    const files = blocks('## A worker and a tree', 'ts');
    expect(Object.keys(files).sort()).toEqual(['counter.worker.ts', 'main.ts']);
    const dir = consumer('esm', 'module', files);
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, types: ['node'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
    const run = node(dir, 'main.js');
    expect(run.stderr).toBe('');
    // The call's result, then the child:exited events of the orderly stop (reverse start order).
    expect(run.stdout).toBe('3\njobs shutdown\ncounter shutdown\n');
    expect(run.status).toBe(0);
  }, 90_000);
});
