// Daemons as an operator sees them: `node dist/cli.js run <tree module>` (or a script calling run()) as a
// child process with real worker threads, signalled once its `ready` line is on stdout, judged by its exit
// code, its log lines, and the file its workers write `start <id>` and `terminate <id>` to.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from '../health/http.js';

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
  for (const close of closers.splice(0)) close();
});

const closers: (() => void)[] = [];

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

/** The crash reports the health fixture wrote, parsed. */
const crashes = (d: Running) => d.written().filter((l) => l.startsWith('crash ')).map((l) => JSON.parse(l.slice('crash '.length)) as Record<string, unknown>);

/** Whether a TCP connection to `url` is refused (nothing listens there any more). */
function refused(url: string): Promise<boolean> {
  return get(url, '/healthz').then(() => false, (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
}

describe('run() with a health server and crash reports', () => {
  const main = join(fixtures, 'health.mjs');

  it('answers /healthz and /readyz while running, /readyz 503 as soon as the shutdown begins, then exits 0 and closes the port', async () => {
    const release = join(tmpdir(), `threadvisor-release-${process.pid}-${Date.now()}`);
    closers.push(() => rmSync(release, { force: true }));
    const d = start([main], { DAEMON_RELEASE: release });
    const ready = await d.line('ready');
    const url = ready.health as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get(url, '/healthz')).status).toBe(200);
    const before = await get(url, '/readyz');
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body)).toMatchObject({ ready: true, phase: 'running' });

    d.child.kill('SIGTERM');
    // c holds its terminate until the release file exists: the process is shutting down, not gone.
    await until(() => d.written().includes('terminate c'), "c's terminate to begin", d);
    const during = await get(url, '/readyz');
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toMatchObject({ ready: false, draining: true });
    // Liveness stays green during the shutdown: failing it would get the pod killed mid-way.
    expect((await get(url, '/healthz')).status).toBe(200);
    expect(d.child.exitCode).toBeNull();

    writeFileSync(release, '');
    expect(await d.exit).toBe(0);
    expect(events(d)).toEqual(['ready', 'stopping', 'stopped', 'exit']);
    expect(d.written().filter((l) => !l.startsWith('crash '))).toEqual(['start a', 'start c', 'terminate c', 'terminate a']);
    expect(await refused(url)).toBe(true);
  });

  it('hands a crash to onCrash at once, and the repeat folded in the open window to onCrash at exit', async () => {
    const release = join(tmpdir(), `threadvisor-release-${process.pid}-${Date.now()}`);
    writeFileSync(release, '');
    closers.push(() => rmSync(release, { force: true }));
    const d = start([main], { DAEMON_RELEASE: release });
    await d.line('ready');
    d.child.kill('SIGUSR2');
    await until(() => crashes(d).length === 1 && d.written().filter((l) => l === 'start a').length === 2, 'the first crash report and the restart of a', d);
    expect(crashes(d)).toEqual([{ child: 'a', kind: 'crash', firstSeen: true, count: 1, total: 1, message: 'on purpose' }]);

    // The same bug again, within the 10-minute window: folded, nothing reported yet.
    d.child.kill('SIGUSR2');
    await until(() => d.written().filter((l) => l === 'start a').length === 3, 'the second restart of a', d);
    expect(crashes(d)).toHaveLength(1);

    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    // The flush at exit reported the folded repeat, before the process ended.
    expect(crashes(d)).toEqual([
      { child: 'a', kind: 'crash', firstSeen: true, count: 1, total: 1, message: 'on purpose' },
      { child: 'a', kind: 'crash', firstSeen: false, count: 1, total: 2, message: 'on purpose' },
    ]);
  });

  it('exits 1 when the health server cannot listen, after stopping the tree', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    closers.push(() => taken.close());
    const port = (taken.address() as { port: number }).port;
    const d = start([main], { DAEMON_HEALTH_PORT: String(port) });
    expect(await d.exit).toBe(1);
    expect(events(d)).toEqual(['start_failed', 'stopped', 'exit']);
    expect(d.lines.find((l) => l.event === 'start_failed')).toMatchObject({ level: 50, err: { code: 'ERR_HEALTH_SERVER' } });
    expect(d.written()).toEqual(['start a', 'start c', 'terminate c', 'terminate a']);
  });
});

describe('threadvisor run --health-port', () => {
  it('serves the tree on the port given (0: any), tells its URL in the ready line, and closes it at exit', async () => {
    const d = start(runTree('tree.mjs', '--health-port', '0'));
    const ready = await d.line('ready');
    const url = ready.health as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const tree = await get(url, '/tree');
    expect(tree.status).toBe(200);
    expect((JSON.parse(tree.body) as { children: { id: string }[] }).children.map((c) => c.id)).toEqual(['a', 'group', 'c']);
    expect((await get(url, '/readyz')).status).toBe(200);
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
    expect(await refused(url)).toBe(true);
  });

  it('requires the THREADVISOR_TOKEN on all but /healthz', async () => {
    const d = start(runTree('tree.mjs', '--health-port', '0'), { THREADVISOR_TOKEN: 's3cret' });
    const url = (await d.line('ready')).health as string;
    expect((await get(url, '/healthz')).status).toBe(200);
    expect((await get(url, '/tree')).status).toBe(401);
    expect((await get(url, '/tree', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
    d.child.kill('SIGTERM');
    expect(await d.exit).toBe(0);
  });
});
