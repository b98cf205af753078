// Shared by the worker integration tests: fixture URLs, a start helper that tracks every worker it
// starts, and a count of live threads (from async_hooks) to prove that none outlives its test.
import { createHook } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, expect } from '@jest/globals';
import { startWorker } from '../../src/index.js';
import type { AnyWorker, StartWorkerOptions, WorkerRef } from '../../src/index.js';

const liveThreads = new Set<number>();
createHook({
  init(asyncId, type) {
    if (type === 'WORKER') liveThreads.add(asyncId);
  },
  destroy(asyncId) {
    liveThreads.delete(asyncId);
  },
}).enable();

/** The URL of a module in test/fixtures. */
export function fixture(name: string): URL {
  return new URL(`../fixtures/${name}`, import.meta.url);
}

/**
 * How many worker threads are still alive. A thread's handle is destroyed a few event-loop turns after
 * its 'exit' event, so this lets the loop turn (never a timed sleep) until the count settles at zero.
 */
export async function threadsAlive(): Promise<number> {
  for (let turn = 0; turn < 100 && liveThreads.size > 0; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return liveThreads.size;
}

/**
 * Starts workers for one test file and, after each test, kills whatever is still running and checks that
 * no thread survived.
 */
export function useWorkers(): <W = AnyWorker>(options: StartWorkerOptions<W>) => Promise<WorkerRef<W>> {
  const started = new Set<WorkerRef<never>>();
  afterEach(async () => {
    await Promise.all([...started].map((ref) => ref.stop(undefined, { shutdown: 'brutal_kill' })));
    started.clear();
    expect(await threadsAlive()).toBe(0);
  });
  return async <W = AnyWorker>(options: StartWorkerOptions<W>) => {
    // Late replies and the like are asserted where they matter; elsewhere they would clutter the output.
    const ref = await startWorker<W>({ logger: pino({ level: 'silent' }), ...options });
    started.add(ref as WorkerRef<never>);
    return ref;
  };
}

/** A promise and its resolve function, for events a test waits on. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Runs a main program from test/fixtures in a child process of its own (a fresh process, or another
 * process-wide setting such as NODE_OPTIONS) and resolves with its output. Rejects if it fails or takes
 * more than 20 s.
 */
export function run(script: URL, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(script), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${script.pathname} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}
