/**
 * The README's quick example as a user runs it: `npm pack` the built package, unpack the tarball into a
 * fresh consumer project (its runtime dependencies linked from ours), write the README's code blocks
 * into it verbatim and run them with node, real worker threads included. The CommonJS block runs as
 * written (a project made by `npm init` is CommonJS); the ESM blocks are TypeScript, compiled with tsc
 * (NodeNext) in a `"type": "module"` project first. Needs dist/ (`npm test` builds first).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node, packedConsumers, tsc } from './consumer.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const consumer = packedConsumers('index.cjs', 'threadvisor-readme-');

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

describe("the README's quick example, run from the packed package", () => {
  it('the CommonJS version runs as written in a CommonJS project', () => {
    const files = blocks('### CommonJS', 'js');
    expect(Object.keys(files).sort()).toEqual(['counter.worker.js', 'main.js']);
    const dir = consumer('cjs', { type: 'commonjs', files });
    const run = node(dir, 'main.js');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('3\n');
    expect(run.status).toBe(0);
  });

  it('the ESM version compiles with tsc (NodeNext) and runs in a "type": "module" project', () => {
    const files = blocks('## A worker and a tree', 'ts');
    expect(Object.keys(files).sort()).toEqual(['counter.worker.ts', 'main.ts']);
    const dir = consumer('esm', { type: 'module', files });
    // Emit: the compiled main.js is what runs next.
    const compiled = tsc(dir, files, { emit: true });
    expect(compiled.stdout).toBe('');
    expect(compiled.status).toBe(0);
    const run = node(dir, 'main.js');
    expect(run.stderr).toBe('');
    // The call's result, then the child:exited events of the orderly stop (reverse start order).
    expect(run.stdout).toBe('3\njobs shutdown\ncounter shutdown\n');
    expect(run.status).toBe(0);
  }, 90_000);
});
