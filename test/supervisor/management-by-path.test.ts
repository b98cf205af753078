import { dynamicSupervisor, supervisor } from '../../src/supervisor/spec-builders.js';
import { settle } from '../../src/testing/virtual-clock.js';
import {
  AlreadyPresentError, ChildKindError, ChildNotFoundError, ChildRunningError, ChildUnavailableError, StartError, SupervisorStoppedError,
} from '../../src/errors.js';
import { setup, started, stopAll, w } from './harness.js';

describe('management by path (simulated host)', () => {
  it('starts, terminates, restarts, deletes and lists the children of a nested supervisor', async () => {
    const env = setup();
    const sup = await started({ children: [supervisor({ id: 'jobs', children: [supervisor({ id: 'inner', children: [w('a', { args: { start: 4 } })] })] })] }, env);
    const inner = sup.supervisor('jobs/inner');
    expect(inner.path).toBe('jobs/inner');
    await env.drive(inner.startChild(w('b')));
    expect(inner.whichChildren().map((c) => [c.id, c.status])).toEqual([['a', 'running'], ['b', 'running']]);
    expect(inner.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    expect(sup.supervisor('jobs').countChildren()).toEqual({ specs: 1, active: 1, supervisors: 1, workers: 0 });
    await expect(inner.startChild(w('b'))).rejects.toThrow(AlreadyPresentError);
    await expect(inner.restartChild('a')).rejects.toThrow(ChildRunningError);
    await env.drive(inner.terminateChild('a'));
    expect(inner.whichChildren()[0]).toMatchObject({ id: 'a', status: 'stopped' });
    await env.drive(inner.restartChild('a'));
    expect(await inner.ref('a').call('get')).toBe(4);
    await env.drive(inner.terminateChild('b'));
    await inner.deleteChild('b');
    expect(inner.whichChildren().map((c) => c.id)).toEqual(['a']);
    expect(inner.tree()).toMatchObject({ name: 'root/jobs/inner', strategy: 'one_for_one', phase: 'running', children: [{ id: 'a', status: 'running' }] });
    env.host.failNextStarts('sim:c', 1);
    await expect(env.drive(inner.startChild(w('c')))).rejects.toThrow(StartError);
    expect(inner.whichChildren().map((c) => c.id)).toEqual(['a']);
    await expect(inner.terminateChild('zz')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND', child: 'zz', message: "no child 'zz' in supervisor 'root/jobs/inner'" });
    // Management of a nested supervisor never counts toward anyone's restart intensity.
    expect(sup.metrics()).toMatchObject({ restartsScheduled: 0, childRestarts: 0 });
    await stopAll(sup, env);
  });

  it('refuses a path that names nothing, a worker, or the other kind of supervisor, with typed errors', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), supervisor({ id: 'jobs', children: [w('b')] }), dynamicSupervisor({ id: 'sessions', template: { module: 'sim:s' } })] }, env);
    expect(() => sup.supervisor('nope').whichChildren()).toThrow(ChildNotFoundError);
    expect(() => sup.supervisor('nope').whichChildren()).toThrow("no child 'nope' in supervisor 'root'");
    await expect(sup.supervisor('jobs/zz').startChild(w('c'))).rejects.toMatchObject({ code: 'ERR_NOT_FOUND', child: 'zz', supervisor: 'root/jobs' });
    expect(() => sup.supervisor('a').countChildren()).toThrow(ChildKindError);
    expect(() => sup.supervisor('a').countChildren()).toThrow("expected 'a' to be a supervisor; given a worker");
    await expect(sup.supervisor('jobs/b/x').terminateChild('y')).rejects.toMatchObject({ code: 'ERR_CHILD_KIND', child: 'jobs/b', given: 'a worker' });
    expect(() => sup.supervisor('sessions').whichChildren()).toThrow("expected 'sessions' to be a supervisor; given a dynamic supervisor");
    await expect(sup.dynamicSupervisor('jobs').startChild()).rejects.toMatchObject({ code: 'ERR_CHILD_KIND', expected: 'a dynamic supervisor', given: 'a supervisor' });
    expect(env.host.incarnations('sim:c')).toHaveLength(0);
    await stopAll(sup, env);
    await expect(sup.supervisor('jobs').terminateChild('b')).rejects.toThrow(SupervisorStoppedError);
  });

  it('follows its supervisor across a restart, and says it is unavailable while it restarts', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 1000, maxMs: 1000 }, children: [supervisor({ id: 'jobs', maxRestarts: 0, children: [w('a')] })] }, env);
    const jobs = sup.supervisor('jobs');
    await env.drive(jobs.startChild(w('b')));
    env.host.current('sim:a')!.crash();
    await settle();
    await env.clock.advance(10);
    expect(sup.whichChildren()[0]!.status).toBe('restarting');
    expect(() => jobs.whichChildren()).toThrow(ChildUnavailableError);
    await expect(jobs.restartChild('a')).rejects.toThrow("child 'jobs' is unavailable: it is restarting");
    await env.clock.advance(1000);
    // The new incarnation starts from its spec: the child added by hand is not part of it (OTP does the same).
    expect(jobs.whichChildren().map((c) => [c.id, c.status])).toEqual([['a', 'running']]);
    await stopAll(sup, env);
  });
});
