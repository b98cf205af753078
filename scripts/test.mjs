// `npm test`: build the package (worker fixtures import it by name), type-check the sources and the type
// tests, run jest (real threads included), run every example, then compile and run every code block of
// README.md and docs/ (scripts/docs-check.mjs). Ends with one summary line counting jest's tests, the
// examples and the doc blocks together.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

const steps = [
  ['build', () => run('npm', ['run', '--silent', 'build'])],
  ['typecheck', () => run('npm', ['run', '--silent', 'typecheck'])],
];
for (const [name, step] of steps) {
  if (step() !== 0) {
    console.error(`${name} failed`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const results = join(tmpdir(), `threadvisor-jest-${process.pid}.json`);
const jestStatus = run(process.execPath, [
  '--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--detectOpenHandles', '--json', `--outputFile=${results}`, ...process.argv.slice(2),
]);
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(results, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests + json.numRuntimeErrorTestSuites;
  rmSync(results, { force: true });
} catch (error) {
  console.error(`could not read jest's results: ${error.message}`);
  failed += 1;
}
if (jestStatus !== 0 && failed === 0) failed += 1;

const examples = spawnSync(process.execPath, ['examples/run-all.mjs'], { encoding: 'utf8' });
process.stdout.write(examples.stdout);
process.stderr.write(examples.stderr);
const counts = /(\d+) passed, (\d+) failed/.exec(examples.stdout);
passed += counts ? Number(counts[1]) : 0;
failed += counts ? Number(counts[2]) : 1;
if (examples.status !== 0 && !counts) failed += 1;

const docs = spawnSync(process.execPath, ['scripts/docs-check.mjs'], { encoding: 'utf8' });
process.stdout.write(docs.stdout);
process.stderr.write(docs.stderr);
const docCounts = /^docs: (\d+) passed, (\d+) failed$/m.exec(docs.stdout);
passed += docCounts ? Number(docCounts[1]) : 0;
failed += docCounts ? Number(docCounts[2]) : 1;
if (docs.status !== 0 && (!docCounts || Number(docCounts[2]) === 0)) failed += 1;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && jestStatus === 0 && examples.status === 0 && docs.status === 0 ? 0 : 1);
