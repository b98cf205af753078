// Starting a worker: the handshake, every way a start fails (each a StartError carrying the worker's own
// error), ignore(), and the options passed through to the thread.
import { describe, expect, it } from '@jest/globals';
import {
  InvalidSpecError, StartError, StartIgnoredError, ThreadHost, startWorker,
} from '../../src/index.js';
import { fixture, run, threadsAlive, useWorkers } from './worker-harness.js';

const start = useWorkers();

async function startFailure(options: Parameters<typeof startWorker>[0]): Promise<StartError> {
  const error = await startWorker(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StartError);
  // The failed thread is gone before the start rejects.
  expect(await threadsAlive()).toBe(0);
  return error as StartError;
}

describe('a successful start', () => {
  it('resolves once init has returned, with a live actor on its own thread', async () => {
    const ref = await start({ module: fixture('counter.mjs'), args: { start: 7 } });
    expect(ref.alive).toBe(true);
    await expect(ref.call('get')).resolves.toBe(7);
    await expect(ref.call('threadId')).resolves.toBe(ref.threadId);
  });

  it('accepts an absolute path, a named export and a module that finishes with a top-level await', async () => {
    const ref = await start({ module: fixture('named-export.mjs').pathname, args: { greeting: 'hello' } });
    await expect(ref.call('greet', 'ada')).resolves.toBe('hello, ada');
  });

  it('runs a CommonJS worker module through the CJS build of threadvisor/worker', async () => {
    const ref = await start({ module: fixture('counter-cjs.cjs'), args: { start: 40 } });
    await expect(ref.call('add', 2)).resolves.toBe(42);
  });

  it('passes env and execArgv through to the thread', async () => {
    const ref = await start({
      module: fixture('stateless.mjs'),
      env: { THREADVISOR_TEST: 'from the host' },
      execArgv: ['--no-deprecation'],
      name: 'options-test',
    });
    await expect(ref.call('env', 'THREADVISOR_TEST')).resolves.toBe('from the host');
    await expect(ref.call('execArgv')).resolves.toEqual(['--no-deprecation']);
  });
});

describe('start failures', () => {
  it('fails with the worker error and stack when the module throws while loading', async () => {
    const error = await startFailure({ module: fixture('throws-on-load.mjs') });
    expect(error.error).toMatchObject({ name: 'SyntaxError', message: 'config is broken' });
    expect(error.error.stack).toContain('throws-on-load.mjs');
    expect(error.code).toBe('ERR_START_FAILED');
  });

  it('fails when the module cannot be parsed', async () => {
    const error = await startFailure({ module: fixture('syntax-error.mjs') });
    expect(error.error.name).toBe('SyntaxError');
  });

  it('names the file, line and column of a syntax error, which Node leaves out for a thread', async () => {
    const error = await startFailure({ module: fixture('syntax-error.mjs') });
    const place = `${fixture('syntax-error.mjs').href}:4:1`;
    expect(error.error.message).toBe(`Unexpected end of input (${place})`);
    expect(error.message).toContain(place);
    expect(error.error.stack).toContain(`    at ${place}`);
  });

  it('names the file, line and column of a syntax error in a CommonJS worker module in the message too', async () => {
    const error = await startFailure({ module: fixture('syntax-error-cjs.cjs') });
    expect(error.error.message).toBe(`Unexpected end of input (${fixture('syntax-error-cjs.cjs').href}:4:1)`);
  });

  it('names the file and line of a syntax error in a module the worker module imports', async () => {
    const error = await startFailure({ module: fixture('imports-syntax-error.mjs') });
    expect(error.error.message).toBe(
      `Unexpected end of input (${fixture('syntax-error.mjs').href}:4:1, imported by ${fixture('imports-syntax-error.mjs').href})`,
    );
  });

  it('fails when the module does not exist', async () => {
    const error = await startFailure({ module: fixture('missing.mjs') });
    expect(error.error.code).toMatch(/MODULE_NOT_FOUND/);
  });

  it('fails when the module calls defineWorker without exporting the definition', async () => {
    const error = await startFailure({ module: fixture('no-export.mjs') });
    expect(error.error.name).toBe('NoWorkerExportError');
    expect(error.error.message).toContain('export default defineWorker');
  });

  it('fails when the module exports several definitions and no default', async () => {
    const error = await startFailure({ module: fixture('several-exports.mjs') });
    expect(error.error.message).toContain('first, second');
  });

  it('fails when the module never calls defineWorker and its thread exits', async () => {
    const error = await startFailure({ module: fixture('no-define.mjs') });
    expect(error.error.name).toBe('ThreadExitedError');
    expect(error.error.message).toContain('defineWorker()');
  });

  it('says a module that loads without calling defineWorker defines no worker, naming the file', async () => {
    const error = await startFailure({ module: fixture('no-define.mjs') });
    expect(error.error.message).toContain(`${fixture('no-define.mjs').href} defines no worker`);
    expect(error.error.message).not.toContain('before its module finished loading');
  });

  it('fails at the start timeout when the module never calls defineWorker and keeps running', async () => {
    const error = await startFailure({ module: fixture('no-define.mjs'), env: { KEEP_ALIVE: '1' }, startTimeoutMs: 300 });
    expect(error.error.name).toBe('StartTimeoutError');
  });

  it('fails with the worker stack when init throws', async () => {
    const error = await startFailure({ module: fixture('counter.mjs'), args: { failInit: 'no config' } });
    expect(error.error).toMatchObject({ name: 'TypeError', message: 'no config' });
    expect(error.error.stack).toContain('counter.mjs');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('fails when init rejects', async () => {
    const error = await startFailure({ module: fixture('counter.mjs'), args: { rejectInit: 'db down' } });
    expect(error.error).toMatchObject({ name: 'RangeError', message: 'db down' });
  });

  it('refuses init arguments that cannot be cloned before any thread is spawned (InvalidSpecError at args)', async () => {
    const error = await startWorker({ module: fixture('counter.mjs'), args: { start: () => 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues).toEqual([expect.objectContaining({ path: 'args', message: expect.stringContaining('expected structured-cloneable data') })]);
    expect(await threadsAlive()).toBe(0);
  });

  it('names the worker in the error by its name option', async () => {
    const error = await startFailure({ module: fixture('no-export.mjs'), name: 'billing' });
    expect(error.child).toBe('billing');
    expect(error.message).toContain('billing');
  });

  it('refuses invalid options before spawning anything, listing each problem', async () => {
    const error = await startWorker({ module: 'relative/path.mjs', heartbeatMs: -1, callTimeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues.map((i) => i.path)).toEqual(['module', 'heartbeatMs', 'callTimeoutMs']);
  });
});

describe('a thread that dies right after init returned', () => {
  it('has started, and has ended: the ready read before the death is not lost', async () => {
    // A fresh process, with "loaded", "ready" and the death waiting in the queue together (see the script).
    const { stdout } = await run(fixture('init-then-crash-main.mjs'), []);
    expect(JSON.parse(stdout)).toMatchObject({
      started: true,
      alive: false,
      reason: { kind: 'error', error: { name: 'TypeError', message: 'right after init' } },
    });
  });
});

describe('init declining to start', () => {
  it('reports ignored from the host, with no thread left', async () => {
    const outcome = await new ThreadHost().start({ module: fixture('counter.mjs'), args: { ignore: true } });
    expect(outcome).toEqual({ status: 'ignored' });
    expect(await threadsAlive()).toBe(0);
  });

  it('rejects a standalone start with StartIgnoredError', async () => {
    const error = await startWorker({ module: fixture('counter.mjs'), args: { ignore: true } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartIgnoredError);
    expect(error).toMatchObject({ code: 'ERR_START_IGNORED' });
  });
});

describe('booting apart from init', () => {
  it('boots a thread before its init arguments are known, then starts its actor', async () => {
    const thread = await new ThreadHost().boot({ module: fixture('counter.mjs') });
    expect([...thread.calls]).toContain('add');
    const outcome = await thread.startActor({ start: 5 }, performance.now() + 5000);
    if (outcome.status !== 'started') throw new Error('expected a started actor');
    await expect(outcome.actor.call('add', [1])).resolves.toBe(6);
    await expect(outcome.actor.stop()).resolves.toEqual({ kind: 'shutdown' });
  });
});
