// Daemons as an operator sees them: `node dist/cli.js run <tree module>` (or a script calling run()) as a
// child process with real worker threads, signalled once its `ready` line is on stdout, judged by its exit
// code, its log lines, and the file its workers write `start <id>` and `terminate <id>` to.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'daemon');

interface LogLine {
  event?: string;
  level: number;
  msg: string;
  [key: string]: unknown;
}

interface Running {
  child: ChildProcess;
  /** The file the workers write to. */
  log: string;
  /** The JSON lines of stdout so far. */
  lines: LogLine[];
  /** Resolves with the first line of `event` (rejects if the process ends first). */
  line(event: string): Promise<LogLine>;
  /** Resolves with the exit code once the process has ended. */
  exit: Promise<number | null>;
  /** The lines the workers wrote. */
  written(): string[];
  output(): string;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): Running {
  const dir = mkdtempSync(join(tmpdir(), 'threadvisor-daemon-'));
  dirs.push(dir);
  const log = join(dir, 'workers.log');
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '', DAEMON_LOG: log, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: LogLine[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  const waiting: { event: string; resolve: (l: LogLine) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const text of complete) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of waiting.filter((x) => x.event === line.event)) w.resolve(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  return {
    child,
    log,
    lines,
    exit,
    output,
    written: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    line: (event) => {
      const seen = lines.find((l) => l.event === event);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        waiting.push({ event, resolve });
        void exit.then((code) => reject(new Error(`the daemon exited (${code}) before its '${event}' line\n${output()}`)));
      });
    },
  };
}

/** Waits until `condition` holds, checking every 20 ms: for what only a file can tell (a worker's terminate began). */
async function until(condition: () => boolean, what: string, d: Running): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    if (d.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}\n${d.output()}`);
}

const events = (d: Running) => d.lines.map((l) => l.event).filter((e) => e !== undefined);
const runTree = (module: string, ...args: string[]) => [cli, 'run', join(fixtures, module), ...args];

describe('threadvisor run', () => {
  it('stops the tree in reverse start order on SIGTERM, within the deadline, and exits 0', async () => {
    const d = start(runTree('tree.mjs'));
    await d.line('ready');
    expect(d.written()).toEqual(['start a', 'start b1', 'start b2', 'start c']);
    const signalled = performance.now();
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(25_000);
    expect(d.written()).toEqual(['start a', 'start b1', 'start b2', 'start c', 'terminate c', 'terminate b2', 'terminate b1', 'terminate a']);
    expect(events(d)).toEqual(['ready', 'stopping', 'stopped', 'exit']);
    expect(d.lines.find((l) => l.event === 'exit')).toMatchObject({ code: 0 });
  });

  it('stops the tree on SIGINT too', async () => {
    const d = start(runTree('tree.mjs'));
    await d.line('ready');
    d.child.kill('SIGINT');
    expect(await d.exit).toBe(0);
    expect(d.written().slice(4)).toEqual(['terminate c', 'terminate b2', 'terminate b1', 'terminate a']);
  });

  it('exits at once with 143 when a second SIGTERM comes during a slow shutdown', async () => {
    // A deadline far beyond the test's timeout: only the second signal can end this daemon in time.
    const d = start(runTree('tree.mjs', '--shutdown-timeout', '600000'), { DAEMON_TREE: 'slow' });
    await d.line('ready');
    d.child.kill('SIGTERM');
    await until(() => d.written().includes('terminate c'), "c's terminate (which never ends) to begin", d);
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(143);
    expect(events(d)).toEqual(['ready', 'stopping', 'forced']);
    expect(d.written()).not.toContain('terminate b2');
  });

  it('kills what remains once the shutdown deadline passes, and exits 124', async () => {
    const d = start(runTree('tree.mjs', '--shutdown-timeout', '1000'), { DAEMON_TREE: 'slow' });
    await d.line('ready');
    const signalled = performance.now();
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(124);
    expect(performance.now() - signalled).toBeGreaterThanOrEqual(1000);
    expect(events(d)).toEqual(['ready', 'stopping', 'deadline', 'stopped', 'exit']);
    expect(d.lines.find((l) => l.event === 'stopped')).toMatchObject({ reason: 'killed (after 1000 ms)' });
    expect(d.written()).toEqual(['start a', 'start b1', 'start b2', 'start c', 'terminate c']);
  });

  it('exits 1 when the tree fails to start, after stopping what had started', async () => {
    const d = start(runTree('start-fail.mjs'));
    expect(await d.exit).toBe(1);
    expect(events(d)).toEqual(['start_failed', 'exit']);
    expect(d.lines.find((l) => l.event === 'start_failed')).toMatchObject({ level: 50, err: { message: expect.stringContaining('b refuses to start') } });
    expect(d.written()).toEqual(['start a', 'terminate a']);
  });
});

describe('run() in an application', () => {
  const main = join(fixtures, 'main.mjs');

  it('exits 69 when the root escalates (a worker crashes under maxRestarts 0)', async () => {
    const d = start([main], { DAEMON_FAULT: 'escalate' });
    await d.line('ready');
    d.child.kill('SIGUSR2');
    expect(await d.exit).toBe(69);
    expect(d.lines.find((l) => l.event === 'escalated')).toMatchObject({ level: 50, reason: expect.stringMatching(/^max_intensity: root/) });
    expect(events(d)).toEqual(['ready', 'escalated', 'exit']);
    // The root stopped what was left before giving up; the daemon only exited after that.
    expect(d.written()).toEqual(['start a', 'start b', 'terminate a']);
  });

  it.each([
    ['throw', 'uncaughtException', 'boom in the main thread'],
    ['reject', 'unhandledRejection', 'rejected in the main thread'],
  ])('on a main-thread %s, logs the stack, reports it, stops the tree in order and exits 70', async (fault, origin, message) => {
    const d = start([main], { DAEMON_FAULT: fault });
    await d.line('ready');
    d.child.kill('SIGUSR2');
    expect(await d.exit).toBe(70);
    const fatal = d.lines.find((l) => l.event === 'fatal')!;
    expect(fatal).toMatchObject({ level: 50, origin, err: { message } });
    expect((fatal.err as { stack: string }).stack).toContain('main.mjs');
    expect(events(d)).toEqual(['ready', 'fatal', 'stopped', 'exit']);
    expect(d.written()).toEqual(['start a', 'start b', `onFatal ${origin} ${message}`, 'terminate b', 'terminate a']);
  });
});
