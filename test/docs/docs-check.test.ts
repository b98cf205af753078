/**
 * The docs check (scripts/docs-check.mjs) on a page of known cases: it must fail what is broken, so that
 * "every block of the docs passes" means something. Needs dist/ (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const page = 'test/fixtures/docs-check/page.md';

describe('the docs check', () => {
  let lines: string[];
  let status: number | null;
  const outcome = (line: number): string => {
    const found = lines.find((l) => l.startsWith(`ok   ${page}:${line} `) || l.startsWith(`FAIL ${page}:${line}`) || l.startsWith(`skip ${page}:${line} `));
    if (found === undefined) throw new Error(`no outcome for line ${line} in:\n${lines.join('\n')}`);
    return found;
  };

  beforeAll(() => {
    const run = spawnSync(process.execPath, ['scripts/docs-check.mjs', page], { cwd: root, encoding: 'utf8', timeout: 90_000 });
    lines = run.stdout.split('\n');
    status = run.status;
  }, 100_000);

  it('compiles a worker module and runs the program that starts it in a thread', () => {
    expect(outcome(5)).toMatch(/^ok .* echo\.worker\.ts: compiles; a worker module, named by the blocks at line 12$/);
    expect(outcome(12)).toMatch(/^ok .* compiles, runs/);
  });

  it('skips a fragment and says why', () => {
    expect(outcome(21)).toMatch(/^skip .*: fragment: a property, not a module$/);
  });

  it('fails a fence without a language', () => {
    expect(outcome(26)).toMatch(/^FAIL .*: a fence needs a language/);
  });

  it('fails a block that does not type-check, with the compiler message', () => {
    expect(outcome(30)).toMatch(/^FAIL .*: does not compile$/);
    expect(lines.join('\n')).toContain("error TS2322: Type 'string' is not assignable to type 'number'");
  });

  it('fails a block that exits non-zero', () => {
    expect(outcome(34)).toMatch(/^FAIL .*: exited 3 after/);
  });

  it('fails a worker module that no block starts', () => {
    expect(outcome(38)).toMatch(/^FAIL .* lonely\.worker\.ts: a worker module that no block of the page names/);
  });

  it('sends a sigterm block SIGTERM after its first line, and passes it when it then exits 0', () => {
    expect(outcome(43)).toMatch(/^ok .* compiles, runs/);
  });

  it('runs a commonjs block as CommonJS, requiring threadvisor', () => {
    expect(outcome(49)).toMatch(/^ok .* main\.js: compiles, runs/);
  });

  it('fails a second block with the same file name', () => {
    expect(outcome(55)).toMatch(/^FAIL .*: echo\.worker\.ts is already the block at line 5/);
  });

  it('compiles a block marked not run, without running it', () => {
    expect(outcome(64)).toMatch(/^ok .*: compiles; not run: it would exit 5$/);
  });

  it('does not run text blocks, and counts each code block once', () => {
    expect(outcome(60)).toMatch(/^skip .* text: not code$/);
    expect(lines).toContain('docs: 5 passed, 5 failed');
    expect(status).toBe(1);
  });
});
