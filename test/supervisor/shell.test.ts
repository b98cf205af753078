import { startSupervisor } from '../../src/supervisor/start-supervisor.js';
import { startDynamicSupervisor } from '../../src/supervisor/dynamic-supervisor.js';
import { SIMULATED_IGNORE } from '../../src/testing/simulated-host.js';
import { settle } from '../../src/testing/virtual-clock.js';
import {
  AlreadyPresentError, ChildNotFoundError, ChildRestartingError, ChildRunningError, ChildUnavailableError, InvalidSpecError,
  MaxChildrenError, StartError, SupervisorStoppedError,
} from '../../src/errors.js';
import { setup, started, w } from './harness.js';

describe('the supervisor shell (simulated host, virtual clock)', () => {
  it('starts the tree, answers calls through refs, and stops in reverse order', async () => {
    const env = setup();
    const sup = await started({ children: [w('a', { args: { start: 5 } }), w('b')] }, env);
    expect(await sup.ref('a').call('add', 2)).toBe(7);
    expect(sup.whichChildren().map((c) => [c.id, c.status])).toEqual([['a', 'running'], ['b', 'running']]);
    expect(sup.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    const exits: string[] = [];
    sup.on('child:exited', (e) => exits.push(e.id));
    const stopping = sup.stop();
    await env.clock.runAll();
    expect(await stopping).toEqual({ kind: 'shutdown' });
    expect(exits).toEqual(['b', 'a']);
    expect(env.host.alive).toBe(0);
    expect(env.clock.pendingTimers).toBe(0);
  });

  it('refuses an unknown module before anything starts', async () => {
    const env = setup();
    await expect(startSupervisor({ children: [w('a'), w('nope')] }, env.opts)).rejects.toThrow(InvalidSpecError);
    await expect(startSupervisor({ children: [w('a'), w('nope')] }, env.opts)).rejects.toThrow(/children\.1\.module: no simulated behaviour/);
    expect(env.host.incarnations('sim:a')).toHaveLength(0);
  });

  it('rejects the start with a StartError naming the child, after stopping the started ones', async () => {
    const env = setup();
    env.host.failNextStarts('sim:b', 1);
    const p = startSupervisor({ children: [w('a'), w('b'), w('c')] }, env.opts);
    const settled = p.catch((e: unknown) => e);
    await env.clock.runAll();
    const error = await settled;
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).message).toMatch(/child 'b' of supervisor 'root'/);
    expect(error).toMatchObject({ child: 'b', supervisor: 'root', code: 'ERR_START_FAILED' });
    expect(env.host.alive).toBe(0);
    expect(env.host.incarnations('sim:c')).toHaveLength(0);
  });

  it('keeps a ref working across a restart, and a call made while restarting waits for the new incarnation', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 1000, maxMs: 1000 }, children: [w('a', { args: { start: 1 } })] }, env);
    const ref = sup.ref('a');
    env.host.current('sim:a')!.crash();
    await settle();
    expect(sup.tree().children[0]).toMatchObject({ status: 'restarting', nextRestartInMs: 1000 });
    const pending = ref.call('get');
    await env.clock.advance(1000);
    expect(await pending).toBe(1);
    expect(sup.tree().children[0]).toMatchObject({ status: 'running', restartCount: 1 });
    sup.stop();
    await env.clock.runAll();
  });

  it('rejects a call with ChildUnavailableError when no incarnation shows up within its timeout', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 10_000, maxMs: 10_000 }, children: [w('a')] }, env);
    env.host.current('sim:a')!.crash();
    await settle();
    const pending = sup.ref('a').withTimeout(500).call('get').catch((e: unknown) => e);
    await env.clock.advance(500);
    const error = await pending;
    expect(error).toBeInstanceOf(ChildUnavailableError);
    expect((error as Error).message).toMatch(/within 500 ms \(status: restarting\)/);
    expect(() => sup.ref('a').cast('x')).toThrow(ChildUnavailableError);
    sup.stop();
    await env.clock.runAll();
  });

  it('reaches workers inside nested supervisors by path, and refuses a path that names a supervisor at once', async () => {
    const env = setup();
    const sup = await started({ children: [{ type: 'supervisor', id: 'jobs', children: [w('a', { args: { start: 3 } })] }] }, env);
    expect(await sup.ref('jobs/a').call('get')).toBe(3);
    await expect(sup.ref('jobs').call('get')).rejects.toMatchObject({ code: 'ERR_CHILD_KIND', message: expect.stringContaining("expected 'jobs' to be a worker") });
    sup.stop();
    await env.clock.runAll();
  });

  it('rejects at once a call that no incarnation could ever answer', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 5000, maxMs: 5000 }, children: [w('a'), w('b', { restart: 'transient' })] }, env);
    await expect(sup.ref('nope').call('get')).rejects.toThrow(/no child 'nope' in supervisor 'root'/);
    await expect(sup.ref('a/x').call('get')).rejects.toThrow(/'a' is a worker, not a supervisor/);
    await env.drive(sup.terminateChild('b'));
    await expect(sup.ref('b').call('get')).rejects.toThrow(/'b' is stopped/);
    // While a restart is pending the call waits; if the child is then terminated, the wait ends at once.
    env.host.current('sim:a')!.crash();
    await settle();
    const waiting = sup.ref('a').call('get').catch((e: unknown) => e);
    await env.drive(sup.terminateChild('a'));
    expect(String(await waiting)).toMatch(/ChildUnavailableError: child 'a' is unavailable: 'a' is stopped/);
    sup.stop();
    await env.clock.runAll();
  });

  it('cancels a pending restart at once with terminateChild, and keeps the spec', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 5000, maxMs: 5000 }, children: [w('a'), w('b')] }, env);
    env.host.current('sim:a')!.crash();
    await settle();
    await sup.terminateChild('a');
    expect(sup.tree().children[0]).toMatchObject({ id: 'a', status: 'stopped' });
    await env.clock.advance(10_000);
    expect(env.host.incarnations('sim:a')).toHaveLength(1);
    await env.drive(sup.restartChild('a'));
    expect(sup.whichChildren()[0]!.status).toBe('running');
    sup.stop();
    await env.clock.runAll();
  });

  it('answers management requests with OTP results as typed errors', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 5000, maxMs: 5000 }, children: [w('a'), w('b')] }, env);
    await expect(sup.restartChild('a')).rejects.toThrow(ChildRunningError);
    await expect(sup.deleteChild('a')).rejects.toThrow(ChildRunningError);
    await expect(sup.terminateChild('zz')).rejects.toThrow(ChildNotFoundError);
    await expect(sup.startChild(w('a'))).rejects.toThrow(AlreadyPresentError);
    env.host.current('sim:b')!.crash();
    await settle();
    await expect(sup.restartChild('b')).rejects.toThrow(ChildRestartingError);
    await expect(sup.deleteChild('b')).rejects.toThrow(ChildRestartingError);
    await env.drive(sup.terminateChild('a'));
    await sup.deleteChild('a');
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['b']);
    await env.drive(sup.startChild(w('c')));
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['b', 'c']);
    env.host.failNextStarts('sim:a', 1);
    await expect(env.drive(sup.startChild(w('a')))).rejects.toThrow(StartError);
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['b', 'c']);
    const stopping = sup.stop();
    await env.clock.runAll();
    await stopping;
    await expect(sup.terminateChild('b')).rejects.toThrow(SupervisorStoppedError);
  });

  it('emits restarts, intensity and escalation events and settles exited at the root', async () => {
    const env = setup();
    const sup = await started({ maxRestarts: 1, children: [{ type: 'supervisor', id: 'sub', maxRestarts: 0, children: [w('a')] }] }, env);
    const seen: string[] = [];
    sup.on('restart:scheduled', (e) => seen.push(`restart ${e.supervisor} ${e.children.join(',')}`));
    sup.on('escalated', (e) => seen.push(`escalated ${e.supervisor} root=${e.root}`));
    sup.on('intensity:exceeded', (e) => seen.push(`intensity ${e.supervisor}`));
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    expect(seen).toEqual(['intensity root/sub', 'escalated root/sub root=false', 'restart root sub']);
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    expect(seen.slice(3)).toEqual(['intensity root/sub', 'escalated root/sub root=false', 'intensity root', 'escalated root root=true']);
    expect(await sup.exited).toMatchObject({ kind: 'max_intensity', supervisor: 'root' });
    expect(env.host.alive).toBe(0);
    // Two worker crashes, and twice the nested supervisor giving up (an abnormal exit of a child too).
    expect(sup.metrics()).toMatchObject({ childCrashes: 4, intensityExceeded: 3, restartsScheduled: 1 });
  });

  it('writes OTP-shaped reports: a crash at error level with the worker stack', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    env.host.current('sim:a')!.crash({ kind: 'error', error: { name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at handler (w.mjs:3:9)' } });
    await env.clock.runAll();
    const crash = env.records.find((r) => r.context === 'child_terminated')!;
    expect(crash).toMatchObject({ level: 50, supervisor: 'root', reason: 'error: TypeError: boom', offender: { id: 'a', type: 'worker', restart: 'permanent' } });
    expect((crash.err as { stack: string }).stack).toContain('at handler (w.mjs:3:9)');
    sup.stop();
    await env.clock.runAll();
  });

  it('logs the crash of a temporary child, which is removed in the same step', async () => {
    const env = setup();
    const sup = await started({ children: [w('a', { restart: 'temporary' })] }, env);
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    expect(sup.whichChildren()).toEqual([]);
    expect(env.records.find((r) => r.context === 'child_terminated')).toMatchObject({ level: 50, offender: { id: 'a', restart: 'temporary' } });
    expect(sup.metrics().childCrashes).toBe(1);
    sup.stop();
    await env.clock.runAll();
  });

  it('runs a dynamic supervisor: template children with extra args, maxChildren, parallel shutdown', async () => {
    const env = setup();
    const p = startDynamicSupervisor({ maxChildren: 2, template: { module: 'sim:a', args: { start: 10 }, shutdown: 100 } }, env.opts);
    await env.clock.advance(0);
    const dyn = await p;
    const one = (await env.drive(dyn.startChild()))!;
    const two = (await env.drive(dyn.startChild({ start: 20 })))!;
    expect(await dyn.ref(one).call('get')).toBe(10);
    expect(await dyn.ref(two).call('get')).toBe(20);
    await expect(dyn.startChild()).rejects.toThrow(MaxChildrenError);
    await env.drive(dyn.terminateChild(one));
    expect(dyn.whichChildren().map((c) => c.id)).toEqual([two]);
    const stopping = dyn.stop();
    await env.clock.runAll();
    expect(await stopping).toEqual({ kind: 'shutdown' });
  });

  it('forgets a dynamic child whose init declines, and says so with undefined', async () => {
    const env = setup();
    env.host.define('sim:shy', { init: (a) => ((a as { shy?: boolean }).shy ? SIMULATED_IGNORE : {}) });
    const p = startDynamicSupervisor({ maxChildren: 1, template: { module: 'sim:shy', args: {} } }, env.opts);
    await env.clock.advance(0);
    const dyn = await p;
    expect(await env.drive(dyn.startChild({ shy: true }))).toBeUndefined();
    expect(dyn.countChildren().specs).toBe(0);
    expect(await env.drive(dyn.startChild())).toBe('child-2');
    dyn.stop();
    await env.clock.runAll();
  });

  it('keeps supervising when an event listener throws, and logs the listener error', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), w('b')] }, env);
    sup.on('child:exited', () => {
      throw new Error('a buggy listener');
    });
    const restarted = new Promise((resolve) => sup.once('child:restarted', resolve));
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    await restarted;
    expect(sup.whichChildren().map((c) => c.status)).toEqual(['running', 'running']);
    expect(env.records.find((r) => r.context === 'listener_error')).toMatchObject({ level: 50, event: 'child:exited', err: { message: 'a buggy listener' } });
    sup.stop();
    await env.clock.runAll();
  });
});
