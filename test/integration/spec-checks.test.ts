// Issue 8.11: every spec problem is found before any thread starts, reported at its full path, and as
// InvalidSpecError (never a raw TypeError or a StartError after siblings were spawned). Real threads: a
// counting host proves no start was attempted, and the thread count proves no thread was left behind.
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { SHARE_ENV } from 'node:worker_threads';
import {
  InvalidSpecError, ThreadHost, startDynamicSupervisor, startSupervisor, startWorker, worker, supervisor,
  type SupervisorSpec, type WorkerStartOptions,
} from '../../src/index.js';
import { fixture, silent, useTrees } from './supervisor-harness.js';
import { threadsAlive } from './worker-harness.js';

const counter = fixture('counter.mjs');
const fixturesDir = dirname(fileURLToPath(counter));
const start = useTrees();

/** A thread host that counts the threads it was asked to start. */
class CountingHost extends ThreadHost {
  starts = 0;
  override start(options: WorkerStartOptions) {
    this.starts += 1;
    return super.start(options);
  }
}

async function refusedBeforeAnyStart(spec: SupervisorSpec): Promise<InvalidSpecError> {
  const host = new CountingHost({ logger: silent });
  const error = await startSupervisor(spec, { host, logger: silent }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidSpecError);
  expect(host.starts).toBe(0);
  expect(await threadsAlive()).toBe(0);
  return error as InvalidSpecError;
}

async function workerRefusal(options: unknown): Promise<InvalidSpecError> {
  const error = await startWorker(options as WorkerStartOptions).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidSpecError);
  expect(await threadsAlive()).toBe(0);
  return error as InvalidSpecError;
}

describe('spec checks before any thread starts', () => {
  it("refuses heartbeatMs 2^31 on the second child before the first child's thread starts, at its full path", async () => {
    const error = await refusedBeforeAnyStart({ children: [worker({ id: 'a', module: counter }), worker({ id: 'b', module: counter, heartbeatMs: 2 ** 31 })] });
    expect(error.issues).toEqual([{ path: 'children.1.heartbeatMs', message: 'expected a whole number of ms from 1 to 2147483647, or false; given 2147483648' }]);
  });

  it('refuses a directory as a module before a sibling thread starts, and as a dynamic template', async () => {
    const error = await refusedBeforeAnyStart({ children: [worker({ id: 'a', module: counter }), supervisor({ id: 's', children: [worker({ id: 'd', module: fixturesDir })] })] });
    expect(error.issues).toEqual([{ path: 'children.1.children.0.module', message: `expected a worker module file; given ${JSON.stringify(fixturesDir)} (a directory)` }]);
    const dynamic = await startDynamicSupervisor({ template: { module: fixturesDir } }, { logger: silent }).catch((e: unknown) => e);
    expect(dynamic).toBeInstanceOf(InvalidSpecError);
    expect((dynamic as InvalidSpecError).issues.map((i) => i.path)).toEqual(['template.module']);
  });

  it('refuses file URLs with a host or an encoded slash as InvalidSpecError, in a tree and in startWorker', async () => {
    const error = await refusedBeforeAnyStart({ children: [worker({ id: 'a', module: 'file://host/w.mjs' }), worker({ id: 'b', module: new URL('file:///tmp/a%2Fb.mjs') })] });
    expect(error.issues.map((i) => i.path)).toEqual(['children.0.module', 'children.1.module']);
    expect(error.issues[0]!.message).toMatch(/; given "file:\/\/host\/w\.mjs" \(File URL host must be/);
    expect(error.issues[1]!.message).toMatch(/; given URL\(file:\/\/\/tmp\/a%2Fb\.mjs\) \(File URL path must not include encoded/);
    const standalone = await workerRefusal({ module: 'file://host/w.mjs' });
    expect(standalone.issues).toEqual([{ path: 'module', message: error.issues[0]!.message }]);
  });

  it('refuses a Proxy of a URL with the same message in a tree and in startWorker', async () => {
    const proxy = new Proxy(counter, {});
    const tree = await refusedBeforeAnyStart({ children: [worker({ id: 'a', module: proxy })] });
    const standalone = await workerRefusal({ module: proxy });
    expect(tree.issues[0]!.path).toBe('children.0.module');
    expect(standalone.issues).toEqual([{ path: 'module', message: tree.issues[0]!.message }]);
  });

  it('rejects startWorker(undefined) and startWorker(null) with InvalidSpecError, not TypeError', async () => {
    expect((await workerRefusal(undefined)).issues).toEqual([{ path: '', message: 'expected an object of worker options with a module; given undefined' }]);
    expect((await workerRefusal(null)).issues).toEqual([{ path: '', message: 'expected an object of worker options with a module; given null' }]);
  });
});

describe('startChild checks against its target before anything starts', () => {
  it('reports a missing module at module, not children.0.module', async () => {
    const sup = await start({ children: [worker({ id: 'a', module: counter })] });
    const missing = fixture('missing.mjs');
    const error = await sup.startChild(worker({ id: 'b', module: missing })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues).toEqual([{ path: 'module', message: `expected an existing worker module file; given URL(${missing.href}) (no file at ${fileURLToPath(missing)})` }]);
    const nested = await sup.startChild(supervisor({ id: 's', children: [worker({ id: 'x', module: fixturesDir })] })).catch((e: unknown) => e);
    expect((nested as InvalidSpecError).issues.map((i) => i.path)).toEqual(['children.0.module']);
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['a']);
  });

  it("refuses a significant child when the root's autoShutdown is 'never', and starts it when it is 'any_significant'", async () => {
    const significant = worker({ id: 'sig', module: counter, restart: 'transient', significant: true });
    const plain = await start({ children: [worker({ id: 'a', module: counter })] });
    const error = await plain.startChild(significant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues.map((i) => i.path)).toEqual(['significant']);
    const auto = await start({ autoShutdown: 'any_significant', children: [worker({ id: 'a', module: counter, restart: 'transient', significant: true })] });
    await auto.startChild(significant);
    expect(auto.whichChildren().map((c) => [c.id, c.status])).toEqual([['a', 'running'], ['sig', 'running']]);
  });
});

describe('values a child spec now accepts, as startWorker does', () => {
  it('starts a child with env: SHARE_ENV and an Infinity call timeout (both refused in a child spec before)', async () => {
    // Jest gives each test file its own copy of process.env, so sharing itself is Node's to prove; what is
    // checked here is that the spec is accepted and the thread runs with the process environment.
    const sup = await start({ children: [worker({ id: 'e', module: fixture('stateless.mjs'), env: SHARE_ENV, callTimeoutMs: Infinity })] });
    await expect(sup.ref('e').call('env', 'PATH')).resolves.toBe(process.env.PATH);
  });
});
