#!/usr/bin/env node
// The `threadvisor` executable (dist/cli.js). Everything it does is in main.ts, which tests import.
import { readFileSync } from 'node:fs';
import { main } from './main.js';

// dist/cli.js sits one level under the package root.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

main(process.argv.slice(2), { version, env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    // A daemon ends the process itself; any other command just sets the code and lets Node drain stdout.
    if (code !== 'running') process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`threadvisor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
