// run() embedded in a process that must go on (tests, an application with its own exit): on the
// simulated host, with an injected exit. It hands back the running tree, never exits while the tree
// runs, and leaves no handler behind once it has exited.
import { describe, expect, it } from '@jest/globals';
import { InvalidSpecError, run } from '../../src/index.js';
import { setup, w } from '../supervisor/harness.js';

const listeners = () => ['SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e as 'SIGTERM'));

describe('run()', () => {
  it('resolves with the running Supervisor, exits through the injected exit only once the tree has stopped, and removes its handlers', async () => {
    const env = setup();
    const before = listeners();
    const codes: number[] = [];
    const running = run({ children: [w('a'), w('b')] }, { ...env.opts, exit: (code) => codes.push(code) });
    await env.clock.advance(0);
    const sup = await running;
    expect(sup.whichChildren().map((c) => [c.id, c.status])).toEqual([['a', 'running'], ['b', 'running']]);
    expect(listeners()).toEqual(before.map((n) => n + 1));
    expect(env.records.find((r) => r.event === 'ready')).toMatchObject({ msg: 'threadvisor: tree running', shutdownTimeoutMs: 25_000 });

    process.emit('SIGTERM', 'SIGTERM');
    expect(codes).toEqual([]);
    await env.clock.runAll();
    await expect(sup.exited).resolves.toEqual({ kind: 'shutdown' });
    await env.clock.advance(0);
    expect(codes).toEqual([0]);
    expect(listeners()).toEqual(before);
  });

  it('exits 0 when the application stops the tree itself, since nothing went wrong', async () => {
    const env = setup();
    const codes: number[] = [];
    const running = run({ children: [w('a')] }, { ...env.opts, exit: (code) => codes.push(code) });
    await env.clock.advance(0);
    const sup = await running;
    const stopped = sup.stop();
    await env.clock.runAll();
    await stopped;
    await env.clock.advance(0);
    expect(codes).toEqual([0]);
  });

  it('refuses bad options before installing anything, naming the key', async () => {
    const before = listeners();
    const bad = run({ children: [] }, { shutdownTimeoutMs: 0 });
    await expect(bad).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(bad).rejects.toThrow('options.shutdownTimeoutMs: expected a whole number of ms from 1 to 2147483647; given 0');
    await expect(run({ children: [] }, { shutdownTimeout: 5 } as never)).rejects.toThrow("'shutdownTimeout' (did you mean 'shutdownTimeoutMs'?)");
    expect(listeners()).toEqual(before);
  });

  it('refuses bad health and crashReports options before installing anything, naming what is wrong', async () => {
    const before = listeners();
    await expect(run({ children: [] }, { health: 9464 } as never)).rejects.toThrow('options.health: expected health server options');
    await expect(run({ children: [] }, { health: { port: 70_000 } })).rejects.toThrow('port: expected a whole number from 0 to 65535; given 70000');
    await expect(run({ children: [] }, { crashReports: {} as never })).rejects.toThrow('onCrash: expected a function (report) => void');
    await expect(run({ children: [] }, { crashReports: { onCrash: () => {}, windowMs: 0 } })).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(run({ children: [] }, { crashReport: {} } as never)).rejects.toThrow("'crashReport' (did you mean 'crashReports'?)");
    expect(listeners()).toEqual(before);
  });

  it('appends the crash reporter to the given reporters, and flushes its open windows before exiting', async () => {
    const env = setup();
    const codes: number[] = [];
    const seen: string[] = [];
    const reports: string[] = [];
    const running = run(
      { maxRestarts: 10, children: [w('a')] },
      {
        ...env.opts,
        reporters: [({ report }) => seen.push(report.type)],
        crashReports: { onCrash: (r) => void reports.push(`${r.child} first=${r.firstSeen} count=${r.count}`), windowMs: 600_000, clock: env.clock },
        exit: (code) => codes.push(code),
      },
    );
    await env.clock.advance(0);
    const sup = await running;
    expect(seen).toContain('child_started');
    env.host.current('sim:a')!.crash();
    await env.clock.runAll();
    env.host.current('sim:a')!.crash();
    await env.clock.advance(0);
    expect(reports).toEqual(['a first=true count=1']);
    const stopped = sup.stop();
    await env.clock.runAll();
    await stopped;
    await env.clock.advance(0);
    expect(codes).toEqual([0]);
    expect(reports).toEqual(['a first=true count=1', 'a first=false count=1']);
  });
});
