import { dynamicSupervisor, supervisor } from '../../src/supervisor/spec-builders.js';
import { startSupervisor } from '../../src/supervisor/start-supervisor.js';
import { ChildUnavailableError, InvalidSpecError, MaxChildrenError } from '../../src/errors.js';
import { setup, started, stopAll, w } from './harness.js';

const sessions = (extra: object = {}) => dynamicSupervisor({ id: 'sessions', template: { module: 'sim:s', args: { start: 10 } }, ...extra });

describe('a dynamic supervisor as a child of a static one (simulated host)', () => {
  it('starts empty, takes children by path, reaches them by path, and stops with the tree', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), sessions({ maxChildren: 2 })] }, env);
    expect(sup.whichChildren().map((c) => [c.id, c.type, c.status])).toEqual([['a', 'worker', 'running'], ['sessions', 'supervisor', 'running']]);
    const dyn = sup.dynamicSupervisor('sessions');
    expect(dyn.whichChildren()).toEqual([]);
    expect(await env.drive(dyn.startChild())).toBe('child-1');
    expect(await env.drive(dyn.startChild({ start: 20 }))).toBe('child-2');
    expect(await sup.ref('sessions/child-1').call('get')).toBe(10);
    expect(await dyn.ref('child-2').call('get')).toBe(20);
    await expect(dyn.startChild()).rejects.toThrow(MaxChildrenError);
    expect(dyn.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    expect(sup.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
    expect(sup.tree().children[1]).toMatchObject({
      id: 'sessions', type: 'supervisor', strategy: 'one_for_one', status: 'running',
      children: [{ id: 'child-1', status: 'running' }, { id: 'child-2', status: 'running' }],
    });
    await env.drive(dyn.terminateChild('child-1'));
    expect(dyn.whichChildren().map((c) => c.id)).toEqual(['child-2']);
    await stopAll(sup, env);
  });

  it('restarts its crashed child itself, one_for_one, and leaves the parent out of it', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), sessions()] }, env);
    const dyn = sup.dynamicSupervisor('sessions');
    await env.drive(dyn.startChild());
    await env.drive(dyn.startChild({ start: 20 }));
    const restarted: string[] = [];
    sup.on('child:restarted', (e) => restarted.push(`${e.supervisor} ${e.id}`));
    env.host.incarnations('sim:s')[0]!.crash();
    await env.clock.runAll();
    expect(restarted).toEqual(['root/sessions child-1']);
    expect(await sup.ref('sessions/child-1').call('get')).toBe(10);
    expect(await sup.ref('sessions/child-2').call('get')).toBe(20);
    expect(env.host.incarnations('sim:a')).toHaveLength(1);
    await stopAll(sup, env);
  });

  it('escalates when its children crash-loop: the parent restarts it empty, ids are never reused, and old refs fail at once', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), sessions({ maxRestarts: 1, periodMs: 10_000 })] }, env);
    const dyn = sup.dynamicSupervisor('sessions');
    await env.drive(dyn.startChild());
    const seen: string[] = [];
    sup.on('child:restarted', (e) => seen.push(`restarted ${e.supervisor} ${e.id}`));
    sup.on('intensity:exceeded', (e) => seen.push(`intensity ${e.supervisor}`));
    sup.on('escalated', (e) => seen.push(`escalated ${e.supervisor} root=${e.root}`));
    env.host.current('sim:s')!.crash();
    await env.clock.runAll();
    env.host.current('sim:s')!.crash();
    await env.clock.runAll();
    expect(seen).toEqual(['restarted root/sessions child-1', 'intensity root/sessions', 'escalated root/sessions root=false', 'restarted root sessions']);
    expect(sup.tree().children[1]).toMatchObject({ id: 'sessions', status: 'running', restartCount: 1, lastExit: { kind: 'max_intensity', supervisor: 'root/sessions' }, children: [] });
    await expect(sup.ref('sessions/child-1').call('get')).rejects.toThrow(/no child 'child-1' in supervisor 'root\/sessions'/);
    expect(await env.drive(dyn.startChild())).toBe('child-2');
    expect(env.host.incarnations('sim:a')).toHaveLength(1);
    await stopAll(sup, env);
  });

  it('escalates to the root when the parent has no restarts left either', async () => {
    const env = setup();
    const sup = await started({ maxRestarts: 0, children: [supervisor({ id: 'app', children: [w('a'), sessions({ maxRestarts: 0 })] })] }, env);
    await env.drive(sup.dynamicSupervisor('app/sessions').startChild());
    const escalations: string[] = [];
    sup.on('escalated', (e) => escalations.push(e.supervisor));
    env.host.current('sim:s')!.crash();
    await env.clock.runAll();
    // 'app' restarts 'sessions' (its own budget allows 3); make it loop until 'app' gives up too.
    for (let i = 0; i < 3; i++) {
      await env.drive(sup.dynamicSupervisor('app/sessions').startChild());
      env.host.current('sim:s')!.crash();
      await env.clock.runAll();
    }
    expect(escalations).toEqual(['root/app/sessions', 'root/app/sessions', 'root/app/sessions', 'root/app/sessions', 'root/app', 'root']);
    expect(await sup.exited).toMatchObject({ kind: 'max_intensity', supervisor: 'root' });
    expect(env.host.alive).toBe(0);
    expect(() => sup.dynamicSupervisor('app/sessions').whichChildren()).toThrow(/has stopped/);
  });

  it('waits for the next incarnation of a dynamic supervisor while it restarts, then refuses the handle with ChildUnavailableError', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 1000, maxMs: 1000 }, children: [sessions({ maxRestarts: 0 })] }, env);
    const dyn = sup.dynamicSupervisor('sessions');
    await env.drive(dyn.startChild());
    env.host.current('sim:s')!.crash();
    await env.clock.advance(10);
    expect(sup.whichChildren()[0]!.status).toBe('restarting');
    expect(() => dyn.whichChildren()).toThrow(ChildUnavailableError);
    await expect(dyn.startChild()).rejects.toMatchObject({ code: 'ERR_CHILD_UNAVAILABLE', message: "child 'sessions' is unavailable: it is restarting" });
    await env.clock.advance(1000);
    expect(await env.drive(dyn.startChild())).toBe('child-2');
    await stopAll(sup, env);
  });

  it('validates a dynamic supervisor child like any child spec, its template module included', async () => {
    const env = setup();
    const issues = async (child: object) => {
      const error = await startSupervisor({ children: [child as never] }, env.opts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidSpecError);
      return (error as InvalidSpecError).issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(await issues(sessions({ maxChildren: 0 }))).toEqual(['children.0.maxChildren: expected a whole number >= 1, or Infinity; given 0']);
    expect(await issues(sessions({ strategy: 'one_for_all' }))).toEqual(["children.0: expected only the keys name, maxRestarts, periodMs, backoff, template, maxChildren, type, id, restart, shutdown, significant; given unknown key 'strategy'"]);
    expect(await issues(sessions({ restart: 'sometimes' }))).toEqual(["children.0.restart: expected one of 'permanent', 'transient', 'temporary'; given \"sometimes\""]);
    expect(await issues(dynamicSupervisor({ id: 'sessions', template: { module: 'sim:nope' } }))).toEqual(["children.0.template.module: no simulated behaviour defined for module 'sim:nope'"]);
    expect((await issues({ type: 'dynamic', id: 'x' }))[0]).toMatch(/^children\.0\.type: expected a child spec with type .*'dynamic_supervisor'.*; given "dynamic" as type$/);
    expect(env.host.alive).toBe(0);
  });
});
