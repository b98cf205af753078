// Issue 10, items 1 and 7, over real threads: a pool child in a tree, reached by path and shown with its
// threads; poison does not escalate it; deaths no job explains do, and its supervisor restarts it; its
// dead letters survive the restart; the tree's stop drains it.
import { ChildUnavailableError, InvalidSpecError, crashOf, pool, startSupervisor, supervisor } from '../../src/index.js';
import type { DeliveredReport } from '../../src/index.js';
import { next, silent, useTrees } from '../integration/supervisor-harness.js';
import { jobs, threadsAlive } from './pool-harness.js';

const basic = jobs('basic.jobs.mjs');
const startTree = useTrees();

describe('a pool child', () => {
  it('runs jobs by path, typed like a standalone pool, and tree() shows it with its threads', async () => {
    const sup = await startTree({ children: [supervisor({ id: 'media', children: [pool({ id: 'resizers', module: basic, threads: 2, spare: false })] })] });
    const resizers = sup.pool('media/resizers');
    expect(await resizers.run('add', 2, 3)).toBe(5);
    const info = (await resizers.run('info')) as { self: { path: string; incarnation: number } };
    expect(info.self.path).toBe('media/resizers');
    const node = sup.tree().children[0]!.children![0]!;
    expect(node).toMatchObject({ id: 'resizers', type: 'worker', status: 'running', pool: { queued: 0, running: 0, deadLetters: 0 } });
    expect(node.pool!.threads).toHaveLength(2);
    expect(node.pool!.threads.every((t) => t.state === 'idle' && typeof t.threadId === 'number')).toBe(true);
    expect(resizers.stats()).toMatchObject({ resolved: 2, activeThreads: 2 });
  });

  it('poison does not escalate it; its dead letters survive a restart of the pool', async () => {
    const sup = await startTree({ children: [pool({ id: 'p', module: basic, threads: 1, maxDeliveries: 2 })] });
    const p = sup.pool('p');
    await expect(p.run('exit', 1)).rejects.toMatchObject({ code: 'ERR_DEAD_LETTERED' });
    await expect(p.run('exit', 2)).rejects.toMatchObject({ code: 'ERR_DEAD_LETTERED' });
    expect(sup.tree().children[0]).toMatchObject({ status: 'running', restartCount: 0, pool: { deadLetters: 2 } });
    await sup.terminateChild('p');
    await sup.restartChild('p');
    expect(p.deadLetters.list().map((l) => l.job.args)).toEqual([[1], [2]]);
    expect(await p.run('echo', 'again')).toBe('again');
  });

  it('threads dying on their own past its intensity: the pool exits max_intensity and its supervisor restarts it', async () => {
    const sup = await startTree({
      maxRestarts: 5,
      children: [pool({ id: 'flaky', module: jobs('dies-idle.jobs.mjs'), args: { afterMs: 40 }, threads: 1, spare: false, maxRestarts: 1, periodMs: 60_000 })],
    });
    const exited = await next(sup, 'child:exited', (e) => e.id === 'flaky');
    expect(exited.reason).toMatchObject({ kind: 'max_intensity', supervisor: 'flaky', maxRestarts: 1, lastReason: { kind: 'exit', code: 5 } });
    await next(sup, 'child:restarted', (e) => e.id === 'flaky');
    expect(await sup.pool('flaky').run('echo', 'back')).toBe('back');
  });

  it("its thread deaths reach the tree's report consumers, so crash reporters and metrics see them with the stack", async () => {
    const seen: DeliveredReport[] = [];
    const sup = await startSupervisor(
      { children: [supervisor({ id: 'jobs', children: [pool({ id: 'p', module: basic, threads: 1, maxDeliveries: 1 })] })] },
      { logger: silent, reporters: [(d) => void (d.report.type === 'pool_thread_exited' && seen.push(d))] },
    );
    await expect(sup.pool('jobs/p').run('crashLater')).rejects.toMatchObject({ code: 'ERR_DEAD_LETTERED' });
    await sup.stop();
    expect(seen).toHaveLength(1);
    const [delivered] = seen;
    expect(delivered).toMatchObject({ supervisor: 'root/jobs', path: 'jobs', root: false, report: { type: 'pool_thread_exited', id: 'p', attributed: true, jobs: 1, reason: { kind: 'error' } } });
    const crash = crashOf(delivered!);
    expect(crash).toMatchObject({ kind: 'crash', path: 'jobs/p', module: basic.href, error: { message: 'boom from a timer' } });
    expect(crash!.error!.stack).toMatch(/basic\.jobs\.mjs/);
    expect(await threadsAlive()).toBe(0);
  });

  it("the tree's stop drains it: a running job finishes within the pool's shutdown", async () => {
    const sup = await startSupervisor({ children: [pool({ id: 'p', module: basic, threads: 1 })] }, { logger: silent });
    const job = sup.pool('p').run('sleep', 150);
    await new Promise((r) => setImmediate(r));
    await sup.stop();
    expect(await job).toBe(150);
    expect(await threadsAlive()).toBe(0);
  });

  it('a pool reached with ref(), or a path naming no pool, is refused with ChildUnavailableError saying which to use', async () => {
    const sup = await startTree({ children: [pool({ id: 'p', module: basic, threads: 1, spare: false })] });
    const viaRef = await sup.ref('p').call('echo', { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(viaRef).toBeInstanceOf(ChildUnavailableError);
    expect((viaRef as Error).message).toMatch(/'p' is a pool: run its jobs through tree\.pool\('p'\)/);
    const missing = await sup.pool('nope').run('echo', 1).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ChildUnavailableError);
  });

  it('a bad pool spec is refused before anything starts, with the full path of the field', async () => {
    const error = await startSupervisor({ children: [pool({ id: 'p', module: basic, threads: 2, maxThreads: 3 })] }, { logger: silent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).issues[0]).toMatchObject({ path: 'children.0.maxThreads' });
    expect(await threadsAlive()).toBe(0);
  });
});
