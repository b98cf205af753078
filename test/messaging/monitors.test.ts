// Monitors with real threads: one down notice per death of the watched incarnation, with its reason, to
// a worker's info handler or a main-thread callback; demonitor; noproc for a target with nothing running.
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startSupervisor, type DownNotice, type Supervisor } from '../../src/index.js';
import { fixture } from '../integration/worker-harness.js';
import { threadsAlive } from '../integration/worker-harness.js';
import { next, peer, supervisor, useTrees } from './harness.js';

const start = useTrees();

type Down = { type: string; monitor: number; same: boolean; path: string; incarnation: number | undefined; reason: { kind: string; error?: { message: string } } };

const tree = () => start({ maxRestarts: 10, periodMs: 1000, children: [peer('a'), peer('b', { registeredName: 'bank' })] });

/** Crashes the child named `name` and resolves once it has been restarted. */
async function crash(sup: Supervisor, name: string, id: string): Promise<void> {
  const restarted = next(sup, 'child:restarted', (e) => e.id === id);
  sup.ref(name).cast('crash');
  await restarted;
}

/** Asks `a` for its down notices until there are `count` (each ask is a message behind the notices already sent). */
async function downs(sup: Supervisor, count: number): Promise<Down[]> {
  for (let i = 0; i < 1000; i++) {
    const seen = (await sup.ref('a').call('downs')) as Down[];
    if (seen.length >= count) return seen;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`fewer than ${count} down notices arrived`);
}

describe('monitors from a worker', () => {
  it('delivers one down notice per death of the watched incarnation to info, with its reason', async () => {
    const sup = await tree();
    const id = await sup.ref('a').call('monitor', 'bank');
    await crash(sup, 'bank', 'b');
    expect(await downs(sup, 1)).toEqual([
      { type: 'down', monitor: id, same: true, path: 'b', incarnation: 1, reason: expect.objectContaining({ kind: 'error', error: expect.objectContaining({ message: 'crashed on purpose' }) }) },
    ]);
    // It watched incarnation 1 only: the next death goes unseen until a new monitor.
    await crash(sup, 'bank', 'b');
    const again = await sup.ref('a').call('monitorByRef', 'bank');
    await crash(sup, 'bank', 'b');
    const seen = await downs(sup, 2);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ monitor: again, path: 'b', incarnation: 3, reason: { kind: 'error' } });
  });

  it('fires at once with noproc for a target with nothing running', async () => {
    const sup = await tree();
    const id = await sup.ref('a').call('monitor', 'nobody');
    expect(await downs(sup, 1)).toEqual([{ type: 'down', monitor: id, same: true, path: 'nobody', incarnation: undefined, reason: { kind: 'noproc' } }]);
  });

  it('delivers nothing after a demonitor in init, even a notice that arrived while init ran', async () => {
    const sup = await start({ children: [peer('a', { args: { initDemonitor: 'nobody' } })] });
    await expect(sup.ref('a').call('initDemonitored')).resolves.toBe(true);
    // Notices held during init reach info as soon as init returns, before any call: none may be left.
    await expect(sup.ref('a').call('downs')).resolves.toEqual([]);
  });

  it('delivers nothing after demonitor', async () => {
    const sup = await tree();
    const id = await sup.ref('a').call('monitor', 'bank');
    await expect(sup.ref('a').call('demonitor', id)).resolves.toBe(true);
    await expect(sup.ref('a').call('demonitor', id)).resolves.toBe(false);
    await crash(sup, 'bank', 'b');
    // A later notice (noproc, at once) proves the earlier death had its turn and was not delivered.
    await sup.ref('a').call('monitor', 'nobody');
    expect((await downs(sup, 1)).map((d) => d.reason.kind)).toEqual(['noproc']);
  });

  it('reports an orderly stop as the reason', async () => {
    const sup = await tree();
    await sup.ref('a').call('monitor', 'bank');
    await sup.terminateChild('b');
    expect(await downs(sup, 1)).toMatchObject([{ path: 'b', incarnation: 1, reason: { kind: 'shutdown' } }]);
  });

  it('logs a notice for a worker without an info handler instead of dropping it silently', async () => {
    const records: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { records.push(JSON.parse(String(chunk))); done(); } }));
    const sup = await startSupervisor({ children: [{ type: 'worker', id: 'quiet', module: fixture('messaging/no-info.mjs') }] }, { logger });
    try {
      await sup.ref('quiet').call('monitor', 'nobody');
      for (let i = 0; i < 1000 && !records.some((r) => r.context === 'unhandled_info'); i++) await new Promise((resolve) => setImmediate(resolve));
      expect(records).toContainEqual(expect.objectContaining({ level: 40, context: 'unhandled_info', msg: expect.stringContaining('defines no info(state, message) handler') }));
    } finally {
      await sup.stop();
    }
    expect(await threadsAlive()).toBe(0);
  });
});

describe('monitors from the main thread', () => {
  it('calls back once per death of the watched incarnation, by name or path', async () => {
    const sup = await tree();
    const seen: DownNotice[] = [];
    const byName = sup.monitor('bank', (d) => seen.push(d));
    expect(byName).toMatchObject({ id: expect.any(Number), target: 'bank' });
    await crash(sup, 'bank', 'b');
    await crash(sup, 'bank', 'b');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'down', path: 'b', incarnation: 1, reason: { kind: 'error' } });
    expect(seen[0]!.monitor).toBe(byName);
    expect(byName.demonitor()).toBe(false);
  });

  it('fires noproc at once for nothing running, and nothing after demonitor', async () => {
    const sup = await tree();
    const noproc = await new Promise<DownNotice>((resolve) => sup.monitor('nobody', resolve));
    expect(noproc).toMatchObject({ path: 'nobody', incarnation: undefined, reason: { kind: 'noproc' } });
    const seen: DownNotice[] = [];
    const m = sup.monitor('b', (d) => seen.push(d));
    expect(sup.demonitor(m)).toBe(true);
    await crash(sup, 'bank', 'b');
    expect(seen).toEqual([]);
    // Anything but a monitor is bad input, refused with the field named (a TypeError before).
    for (const bad of [{}, null]) {
      expect(() => sup.demonitor(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SPEC', issues: [{ path: 'monitor', message: expect.stringContaining('expected a monitor returned by monitor()') }] }));
    }
  });

  it('refuses a supervisor as a target with ChildKindError, as refs do, and watches workers through nested handles', async () => {
    const sup = await start({ maxRestarts: 10, periodMs: 1000, children: [supervisor({ id: 'inner', children: [peer('c')] })] });
    const kind = { code: 'ERR_CHILD_KIND', message: expect.stringContaining("expected 'inner' to be a worker") };
    expect(() => sup.monitor('inner', () => undefined)).toThrow(expect.objectContaining(kind));
    await expect(sup.ref('inner').call('whoami')).rejects.toMatchObject(kind);
    expect(() => sup.ref('inner').cast('whoami')).toThrow(expect.objectContaining(kind));
    const inner = sup.supervisor('inner');
    const seen: DownNotice[] = [];
    const m = inner.monitor('c', (d) => seen.push(d));
    const restarted = next(sup, 'child:restarted', (e) => e.id === 'c');
    inner.ref('c').cast('crash');
    await restarted;
    expect(seen).toEqual([expect.objectContaining({ type: 'down', path: 'inner/c', incarnation: 1, reason: expect.objectContaining({ kind: 'error' }) })]);
    expect(inner.demonitor(m)).toBe(false);
    const later: DownNotice[] = [];
    expect(inner.demonitor(inner.monitor('c', (d) => later.push(d)))).toBe(true);
    const again = next(sup, 'child:restarted', (e) => e.id === 'c');
    inner.ref('c').cast('crash');
    await again;
    expect(later).toEqual([]);
    expect(() => inner.demonitor(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SPEC' }));
  });
});

