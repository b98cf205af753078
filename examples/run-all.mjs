// Runs every example as a user would (`node examples/<name>.mjs`) against the built package, one after
// another, and fails if any exits non-zero or runs past its time limit. CI runs this after the tests.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs').sort();
const LIMIT_MS = 60_000;
let failed = 0;
for (const name of examples) {
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [`${dir}${name}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed after ${LIMIT_MS} ms)`;
      child.kill('SIGKILL');
    }, LIMIT_MS);
    child.on('exit', (c, signal) => {
      clearTimeout(timer);
      if (c !== 0) process.stdout.write(`--- output of ${name}:\n${output}\n`);
      resolve(c ?? (signal ? 1 : 0));
    });
  });
  console.log(`${code === 0 ? 'ok  ' : 'FAIL'} examples/${name}`);
  if (code !== 0) failed += 1;
}
console.log(`examples: ${examples.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
