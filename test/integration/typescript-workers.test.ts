// Workers written in TypeScript (issue 9.1): a .ts worker importing another .ts module runs under tsx,
// from a TypeScript main program and from plain JavaScript; its crash stacks name the .ts lines; a
// missing module points at its TypeScript or JavaScript sibling; without any way to load TypeScript the
// start fails saying how to get one.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { ActorCrashedError, InvalidSpecError, StartError, startSupervisor, worker, workerUrl } from '../../src/index.js';
import type Prices from '../fixtures/ts/prices.worker.js';
import { fixture, useWorkers } from './worker-harness.js';

const start = useWorkers();
const pricesWorker = fileURLToPath(fixture('ts/prices.worker.ts'));
/** The line of prices.worker.ts that throws, found by its text so editing the fixture cannot skew it. */
const crashLine = readFileSync(pricesWorker, 'utf8').split('\n').findIndex((line) => line.includes('throw new Error(`prices crashed')) + 1;
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function runUnderTsx(script: URL): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The local tsx, found from the repository's folder (the child's cwd).
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(script)], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${script.pathname} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('a worker written in TypeScript', () => {
  it('runs from a TypeScript main program under node --import tsx, and its crash stack names the .ts line', async () => {
    expect(crashLine).toBeGreaterThan(0);
    const { stdout } = await runUnderTsx(fixture('ts/main.ts'));
    const seen = JSON.parse(stdout.trim().split('\n').pop() as string) as { module: string; quote: unknown; again: unknown; stack: string };
    expect(seen.module).toBe(fixture('ts/prices.worker.ts').href); // workerUrl took main.ts's extension
    expect(seen.quote).toEqual({ base: 10, total: 30 }); // computed by markup.ts, imported by the worker
    expect(seen.again).toEqual({ base: 2, total: 6 });
    expect(seen.stack).toContain('prices crashed: markup 3 refused');
    expect(seen.stack).toContain(`prices.worker.ts:${crashLine}:`);
  }, 40_000);

  it('runs from a JavaScript main program too: the thread registers the tsx it finds next to the module', async () => {
    const prices = await start<typeof Prices>({ module: fixture('ts/prices.worker.ts'), args: { markup: 2 } });
    await expect(prices.call('quote', 5)).resolves.toEqual({ base: 5, total: 10 });
    const error = await prices.call('crash').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorCrashedError);
    const reason = (error as ActorCrashedError).reason;
    expect(reason.kind === 'error' && reason.error.stack).toContain(`prices.worker.ts:${crashLine}:`);
  });

  it('runs under a supervisor and is restarted after a crash like any worker', async () => {
    const sup = await startSupervisor(
      { strategy: 'one_for_one', children: [worker({ id: 'prices', module: fixture('ts/prices.worker.ts'), args: { markup: 4 } })] },
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const prices = sup.ref<typeof Prices>('prices');
      await expect(prices.call('crash')).rejects.toBeInstanceOf(ActorCrashedError);
      await expect(prices.call('quote', 1)).resolves.toEqual({ base: 1, total: 4 });
    } finally {
      await sup.stop();
    }
  });

  it('fails to start with a TypeScriptWorkerError saying how to run TypeScript when no tsx can be found', async () => {
    // A folder outside the repository: nothing resolves tsx (or threadvisor) from there.
    const dir = mkdtempSync(join(tmpdir(), 'threadvisor-no-tsx-'));
    temps.push(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    copyFileSync(pricesWorker, join(dir, 'prices.worker.ts'));
    const error = await start({ module: pathToFileURL(join(dir, 'prices.worker.ts')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    const failure = (error as StartError).error;
    expect(failure).toMatchObject({ name: 'TypeScriptWorkerError', code: 'ERR_TYPESCRIPT_WORKER' });
    expect(failure.message).toContain(`cannot load the TypeScript worker module ${join(dir, 'prices.worker.ts')}`);
    expect(failure.message).toContain(`no tsx can be found from ${dir}`);
    expect(failure.message).toContain('node --import tsx main.ts');
    expect(failure.message).toContain('Node >= 22.6');
    expect(failure.message).toContain('compile with tsc');
  });

  it("runs under Node's own type stripping where this Node has it", async () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const strips = (process.features as { typescript?: unknown }).typescript !== undefined || major > 22 || (major === 22 && minor >= 6);
    if (!strips) {
      console.log(`skipped: Node ${process.version} has no type stripping (Node >= 22.6 with --experimental-strip-types, on by default from 23.6); tsx covers this Node`);
      return;
    }
    // Node strips types only outside node_modules and needs the real extension in relative imports: a
    // one-file worker, with tsx out of reach so that Node itself must load it.
    const dir = mkdtempSync(join(tmpdir(), 'threadvisor-strip-'));
    temps.push(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const runtime = fileURLToPath(new URL('../../dist/worker.js', import.meta.url));
    writeFileSync(join(dir, 'echo.worker.ts'), `import { defineWorker } from ${JSON.stringify(pathToFileURL(runtime).href)};\nexport default defineWorker({ calls: { echo: (_s: undefined, x: string): string => x } });\n`);
    const echo = await start({ module: pathToFileURL(join(dir, 'echo.worker.ts')), execArgv: [...process.execArgv, '--experimental-strip-types'] });
    await expect(echo.call('echo', 'typed')).resolves.toBe('typed');
  });
});

describe('workerUrl', () => {
  it("takes the caller's own extension: .ts under tsx, .js after tsc", () => {
    expect(workerUrl('file:///app/src/main.ts', './prices.worker').href).toBe('file:///app/src/prices.worker.ts');
    expect(workerUrl(new URL('file:///app/dist/main.js'), './prices.worker').href).toBe('file:///app/dist/prices.worker.js');
    expect(workerUrl('file:///app/main.mts', '../w/prices.worker').href).toBe('file:///w/prices.worker.mts');
    expect(workerUrl('file:///app/bundle', './prices.worker').href).toBe('file:///app/prices.worker.js');
  });

  it('refuses a path with an extension, a bare name, or a base that is not a URL', () => {
    expect(() => workerUrl('file:///app/main.ts', './prices.worker.js')).toThrow(InvalidSpecError);
    expect(() => workerUrl('file:///app/main.ts', 'prices.worker')).toThrow(/expected a relative path without an extension/);
    expect(() => workerUrl('main.ts', './prices.worker')).toThrow(/expected the caller's import.meta.url; given "main.ts"/);
  });
});

describe('a missing worker module with a sibling of the other language', () => {
  it('names the TypeScript sibling of a missing .js module', async () => {
    const missing = fixture('ts/prices.worker.js');
    const error = await startSupervisor({ children: [worker({ id: 'prices', module: missing })] }, { logger: pino({ level: 'silent' }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues).toEqual([{
      path: 'children.0.module',
      message: `expected an existing worker module file; given URL(${missing.href}) (no file at ${fileURLToPath(missing)}; a TypeScript sibling exists: prices.worker.ts (name it with workerUrl(import.meta.url, './prices.worker'), which follows your own extension; or build with tsc))`,
    }]);
  });

  it('names the JavaScript sibling of a missing .ts module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadvisor-js-sibling-'));
    temps.push(dir);
    writeFileSync(join(dir, 'job.worker.mjs'), 'export {};\n');
    const missing = pathToFileURL(join(dir, 'job.worker.mts'));
    const error = await startSupervisor({ children: [worker({ id: 'job', module: missing })] }, { logger: pino({ level: 'silent' }) }).catch((e: unknown) => e);
    expect((error as InvalidSpecError).issues[0]?.message).toContain("; a JavaScript sibling exists: job.worker.mjs (name it with workerUrl(import.meta.url, './job.worker'), which follows your own extension; or run the .ts sources under tsx)");
  });
});
