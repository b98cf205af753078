import { crashReporter, type CrashReport } from '../../src/index.js';
import { startSupervisor, worker, type Supervisor } from '../../src/index.js';
import { fixture, next, silent } from './supervisor-harness.js';
import { threadsAlive } from './worker-harness.js';

describe('crash reports of real threads', () => {
  let sup: Supervisor | undefined;
  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
    expect(await threadsAlive()).toBe(0);
  });

  it("fingerprint a worker's crash by its first frame in user code, past threadvisor's worker runtime, whatever the message", async () => {
    const reports: CrashReport[] = [];
    const crashes = crashReporter({ onCrash: (r) => void reports.push(r) });
    sup = await startSupervisor({ maxRestarts: 10, children: [worker({ id: 'counter', module: fixture('counter.mjs') })] }, { logger: silent, reporters: [crashes] });
    for (const [i, how] of [[1, 'crash'], [2, 'fail']] as const) {
      const restarted = next(sup, 'child:restarted', (e) => e.restartCount === i);
      if (how === 'crash') sup.ref('counter').cast('crash', `order ${i} failed`);
      else await expect(sup.ref('counter').call('fail', `user ${i} unknown`)).rejects.toMatchObject({ code: 'ERR_ACTOR_CRASHED' });
      await restarted;
    }
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      kind: 'crash', supervisor: 'root', child: 'counter', path: 'counter', firstSeen: true, count: 1, total: 1,
      fingerprint: 'TypeError@test/fixtures/counter.mjs:7:9',
      error: { name: 'TypeError', message: 'order 1 failed', stack: expect.stringContaining('dist/worker.js') },
    });
    expect(crashes.pending).toBe(1);
    crashes.flush();
    expect(reports[1]).toMatchObject({ fingerprint: 'TypeError@test/fixtures/counter.mjs:7:9', firstSeen: false, count: 1, total: 2, error: { message: 'user 2 unknown' } });
    crashes.dispose();
  });
});
