/**
 * `resourceLimits` is not a hard guarantee (docs/workers.md, "What resourceLimits does not cover"): heap
 * growth in small steps ends the thread with `oom`, but one structure growing in large steps makes V8
 * abort the whole process. Each case runs in a child process (test/fixtures/resource-limits-host.mjs)
 * so the abort takes down that process, never jest; the test is the parent that survives and sees it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const host = fileURLToPath(new URL('../fixtures/resource-limits-host.mjs', import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the host with a cast for its worker; `ulimit -c 0` so an abort leaves no core file behind. */
function runHost(cast: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'ulimit -c 0 && exec "$0" "$@"', process.execPath, host, cast], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('resourceLimits under a 64 MB heap limit', () => {
  it('ends only the thread, with oom, when the heap grows in small steps', async () => {
    const outcome = await runHost('growInSmallSteps');
    expect(outcome.stdout).toBe('started\nexited oom\n');
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('cannot save the process from one array that holds everything: V8 aborts it, and only its parent sees that', async () => {
    const outcome = await runHost('oneHugeArray');
    // The worker started, and nothing in the process (threadvisor included) saw the thread end.
    expect(outcome.stdout).toBe('started\n');
    expect(outcome.signal).toBe('SIGABRT');
    expect(outcome.stderr).toContain('JavaScript heap out of memory');
  }, 30_000);
});
