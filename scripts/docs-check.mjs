// `npm test` runs this after the examples: every fenced block of README.md and docs/*.md is a test.
//
// The convention (README, "How the docs are tested"):
// - A ts/typescript/js/mjs block is a complete module. Its first line may name its file as a comment
//   (`// counter.worker.ts ...`), so a later block can import it (`./counter.worker.js`) or start it
//   (`new URL('./counter.worker.js', import.meta.url)`). Unnamed blocks get a name from their line.
// - A complete block whose first line is `// not run: <why>` is compiled but not run (it needs something
//   the check cannot provide, such as a package threadvisor does not depend on).
// - A code block whose first line is `// fragment: <why>` is not a program; it is skipped and the reason
//   printed. A reader sees that line, so a fragment never passes for a complete example.
// - text/sh/bash/json/yaml/ini/console blocks are not code and are not run (a `sh` block is a command
//   for the reader's shell). A block without a language fails: say `text` for output.
// - Info-string attribute `sigterm` (```ts sigterm): a daemon. The check sends it SIGTERM once it has
//   printed its first line (so it installs its handler before printing), and it must then exit 0.
//
// Each page is one TypeScript program in its own directory under .docs-check/ in the package (so
// `threadvisor` resolves to the built package through its self-reference, as a user's import resolves
// to the installed one): type-checked with the project's strict options, emitted, and every complete
// block that is not a worker module (`*.worker.*`, loaded in a thread by the blocks that start it) is run
// with node, each in its own process under a time limit, and must exit 0. A worker module that no other
// block of its page names (`name.worker.js`) fails: it would be compiled but never run.
// Blocks marked `commonjs` (```js commonjs) are a second program per page, in a CommonJS package that
// reaches `threadvisor` through a node_modules link. JavaScript is parsed (a syntax error fails) and run;
// only TypeScript is type-checked.
// Needs a build (`npm run build`). `--keep` leaves the generated files; a path argument checks one page.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.filter((a) => !a.startsWith('--'));
const RUN_LIMIT_MS = 20_000;
const CONCURRENCY = 3;

const CODE = new Map([['ts', '.ts'], ['typescript', '.ts'], ['js', '.mjs'], ['mjs', '.mjs']]);
const NOT_CODE = new Set(['text', 'sh', 'bash', 'json', 'yaml', 'ini', 'console']);
const FILE_COMMENT = /^\/\/\s*((?:[\w-]+\/)*[\w.-]+\.(?:ts|mts|js|mjs))(?=\s|$)/;
const NOT_RUN_COMMENT = /^\/\/\s*not run:\s*(.+)$/;
const FRAGMENT_COMMENT = /^\/\/\s*fragment:\s*(.+)$/;

const pages = (only.length > 0 ? only : ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]);

/** Every fenced block of a markdown page, with its 1-based line, language, attributes and body. */
function extractBlocks(page) {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    const [lang = '', ...attrs] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({ page, line: i + 1, lang: lang.toLowerCase(), attrs, body: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

/** Decides what a block is: not code, a fragment, or a file of the page's program. */
function classify(block) {
  if (block.lang === '') return { kind: 'bad', why: 'a fence needs a language (`text` for output, `ts` for code)' };
  if (NOT_CODE.has(block.lang)) return { kind: 'not_code' };
  const ext = CODE.get(block.lang);
  if (!ext) return { kind: 'bad', why: `unknown language '${block.lang}' (code: ${[...CODE.keys()].join(', ')}; not code: ${[...NOT_CODE].join(', ')})` };
  const first = block.body.split('\n')[0].trim();
  const fragment = FRAGMENT_COMMENT.exec(first);
  if (fragment) return { kind: 'fragment', why: fragment[1] };
  const named = FILE_COMMENT.exec(first);
  const file = named ? named[1] : `block-line${block.line}${ext}`;
  const notRun = NOT_RUN_COMMENT.exec(first)?.[1];
  return { kind: 'file', file, notRun, worker: /\.worker\.[mc]?[jt]s$/.test(file), sigterm: block.attrs.includes('sigterm') };
}

const tsconfig = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const format = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

/** Type-checks and emits one page's files; returns the diagnostics per file (and '' for global ones). */
function compile(dir, files) {
  const options = {
    ...tsconfig.options,
    // The project's strict options, minus the two that are lint: a doc may show a parameter it ignores.
    noUnusedLocals: false,
    noUnusedParameters: false,
    declaration: false,
    noEmit: false,
    allowJs: true,
    checkJs: false, // JavaScript is parsed (syntax errors fail) and run, not type-checked: its users do not type-check either
    rootDir: join(dir, 'src'),
    outDir: join(dir, 'out'),
  };
  const program = ts.createProgram(files.map((f) => join(dir, 'src', f)), options);
  const byFile = new Map();
  const add = (file, text) => byFile.set(file, [...(byFile.get(file) ?? []), text]);
  for (const d of [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics]) {
    const file = d.file ? relative(join(dir, 'src'), d.file.fileName) : '';
    const text = ts.formatDiagnostic(d, format).trim();
    add(files.includes(file) ? file : '', text);
  }
  return byFile;
}

/** Runs one emitted module with node; resolves with its exit code, output and a note. */
/** The file a module compiles to: a.ts -> a.js, a.mts -> a.mjs; JavaScript keeps its name. */
const jsName = (file) => file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');

function run(dir, file, sigterm) {
  const js = jsName(file);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'out', js)], { cwd: join(dir, 'out'), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let signalled = false;
    const onData = (d) => {
      output += d;
      if (sigterm && !signalled && output.includes('\n')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    const started = performance.now();
    const timer = setTimeout(() => {
      output += `\n(killed after ${RUN_LIMIT_MS} ms)`;
      child.kill('SIGKILL');
    }, RUN_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      if (sigterm && !signalled) output += '\n(a sigterm block must print a line before it is sent SIGTERM)';
      resolve({ code: sigterm && !signalled ? 1 : (code ?? (signal ? 1 : 0)), output, ms });
    });
  });
}

async function pool(tasks, n) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

const work = join(root, '.docs-check', String(process.pid));
let passed = 0;
let failed = 0;
const counts = { blocks: 0, compiled: 0, ran: 0, notRun: 0, fragments: 0, notCode: 0 };
const indent = (text, max = 40) => {
  const lines = text.split('\n');
  const shown = lines.length > max ? [...lines.slice(0, max), `(${lines.length - max} more lines)`] : lines;
  return shown.map((l) => `      ${l}`).join('\n');
};

try {
  for (const page of pages) {
    const pageDir = join(work, page.replace(/[^\w.-]+/g, '_'));
    const blocks = extractBlocks(page).map((b) => ({ ...b, ...classify(b) }));
    counts.blocks += blocks.length;
    // ES modules by default; blocks marked `commonjs` form a second program in a CommonJS package.
    const groups = new Map();
    for (const b of blocks.filter((x) => x.kind === 'file')) {
      const system = b.attrs.includes('commonjs') ? 'commonjs' : 'esm';
      const group = groups.get(system) ?? { dir: join(pageDir, system), members: [], seen: new Map() };
      groups.set(system, group);
      if (group.seen.has(b.file)) {
        b.kind = 'bad';
        b.why = `${b.file} is already the block at line ${group.seen.get(b.file)}; name each file of a page once`;
      } else {
        group.seen.set(b.file, b.line);
        group.members.push(b);
      }
    }
    const globalErrors = [];
    for (const [system, { dir, members }] of groups) {
      mkdirSync(join(dir, 'src'), { recursive: true });
      if (system === 'commonjs') {
        // Outside the package's own scope, so `threadvisor` resolves through a node_modules link to it.
        writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "commonjs" }\n');
        mkdirSync(join(dir, 'node_modules'), { recursive: true });
        symlinkSync(root, join(dir, 'node_modules', 'threadvisor'), 'dir');
      }
      for (const b of members) {
        mkdirSync(dirname(join(dir, 'src', b.file)), { recursive: true });
        writeFileSync(join(dir, 'src', b.file), b.body);
      }
      const diagnostics = compile(dir, members.map((b) => b.file));
      globalErrors.push(...(diagnostics.get('') ?? []));
      for (const b of members) b.errors = diagnostics.get(b.file);
      for (const b of members) {
        const named = new RegExp(`(^|[^\\w.-])${basename(jsName(b.file)).replace(/[.]/g, '\\.')}\\b`);
        b.users = members.filter((o) => o !== b && !o.worker && named.test(o.body)).map((o) => o.line);
      }
      await pool(members.map((b) => async () => {
        if (!b.errors && !b.worker && !b.notRun) b.result = await run(dir, b.file, b.sigterm);
      }), CONCURRENCY);
    }
    if (globalErrors.length > 0) {
      failed += 1;
      console.log(`FAIL ${page}: the page's program\n${indent(globalErrors.join('\n'))}`);
    }
    for (const b of blocks) {
      const where = `${page}:${b.line}`;
      if (b.kind === 'not_code') {
        counts.notCode += 1;
        console.log(`skip ${where} ${b.lang}: not code${b.lang === 'sh' || b.lang === 'bash' ? ' (a command for the reader; not run)' : ''}`);
      } else if (b.kind === 'fragment') {
        counts.fragments += 1;
        console.log(`skip ${where} ${b.lang}: fragment: ${b.why}`);
      } else if (b.kind === 'bad') {
        failed += 1;
        console.log(`FAIL ${where}: ${b.why}`);
      } else {
        const { errors, result } = b;
        if (errors) {
          failed += 1;
          console.log(`FAIL ${where} ${b.file}: does not compile\n${indent(errors.join('\n'))}`);
          continue;
        }
        counts.compiled += 1;
        if (b.notRun) {
          passed += 1;
          counts.notRun += 1;
          console.log(`ok   ${where} ${b.file}: compiles; not run: ${b.notRun}`);
        } else if (result === undefined) {
          const { users } = b;
          if (users.length === 0) {
            failed += 1;
            console.log(`FAIL ${where} ${b.file}: a worker module that no block of the page names ('${basename(jsName(b.file))}'), so it never runs`);
            continue;
          }
          passed += 1;
          console.log(`ok   ${where} ${b.file}: compiles; a worker module, named by the blocks at line ${users.join(', ')}`);
        } else if (result.code === 0) {
          passed += 1;
          counts.ran += 1;
          console.log(`ok   ${where} ${b.file}: compiles, runs (${result.ms} ms)`);
        } else {
          failed += 1;
          console.log(`FAIL ${where} ${b.file}: exited ${result.code} after ${result.ms} ms\n${indent(result.output.trim())}`);
        }
      }
    }
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${relative(root, work)}`);
}

console.log(`docs: ${counts.blocks} blocks: ${counts.compiled} compiled, ${counts.ran} of them run, ${counts.notRun} marked not run; ${counts.fragments} fragments, ${counts.notCode} not code`);
console.log(`docs: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
