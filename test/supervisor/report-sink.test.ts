import { supervisor } from '../../src/supervisor/spec-builders.js';
import type { DeliveredReport } from '../../src/observability/delivered-report.js';
import { setup, started, stopAll, w } from './harness.js';

describe('the report sink (simulated host)', () => {
  it('hands every report to user reporters with the supervisor, its path, the time, and the thread of a started worker', async () => {
    const env = setup();
    const delivered: DeliveredReport[] = [];
    const sup = await started({ children: [w('a'), supervisor({ id: 'jobs', children: [w('b')] })] }, env, { reporters: [(d) => delivered.push(d)] });
    const starts = delivered.filter((d) => d.report.type === 'child_started');
    expect(starts.map((d) => [d.supervisor, d.path, d.root, (d.report as { id: string }).id])).toEqual([
      ['root', '', true, 'a'], ['root/jobs', 'jobs', false, 'b'], ['root', '', true, 'jobs'],
    ]);
    expect(starts[0]!.threadId).toBe(sup.whichChildren()[0]!.threadId);
    expect(starts[0]!.threadId).toEqual(expect.any(Number));
    expect(starts[2]!.threadId).toBeUndefined();
    await env.clock.advance(50);
    env.host.current('sim:b')!.crash();
    await env.clock.runAll();
    const crash = delivered.find((d) => d.report.type === 'child_exited')!;
    expect(crash).toMatchObject({ supervisor: 'root/jobs', path: 'jobs', at: 50, report: { id: 'b', requested: false, reason: { kind: 'error' } } });
    await stopAll(sup, env);
    expect(delivered.at(-1)).toMatchObject({ supervisor: 'root', report: { type: 'supervisor_exited', reason: { kind: 'shutdown' } } });
  });

  it('contains a reporter that throws: it is logged, later consumers still get the report, and supervision carries on', async () => {
    const env = setup();
    const seen: string[] = [];
    const reporters = [
      function broken(): void {
        throw new Error('a buggy reporter');
      },
      (d: DeliveredReport) => void seen.push(d.report.type),
    ];
    const sup = await started({ children: [w('a')] }, env, { reporters });
    const restarted = new Promise((resolve) => sup.once('child:restarted', resolve));
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    await restarted;
    expect(seen).toEqual(expect.arrayContaining(['child_exited', 'restart_scheduled', 'child_started']));
    expect(env.records.find((r) => r.context === 'listener_error')).toMatchObject({ level: 50, event: 'broken', err: { message: 'a buggy reporter' } });
    expect(sup.metrics()).toMatchObject({ childCrashes: 1, childRestarts: 1 });
    expect(sup.whichChildren()[0]!.status).toBe('running');
    await stopAll(sup, env);
  });
});
