import { pino } from 'pino';
import { Writable } from 'node:stream';
import { crashReporter, type CrashReport } from '../../src/observability/crash-reporter.js';
import { crashFingerprint, fingerprintFrame } from '../../src/observability/crash-fingerprint.js';
import type { DeliveredReport } from '../../src/observability/delivered-report.js';
import type { NormalizedChildSpec } from '../../src/core/child-spec.js';
import type { ExitReason } from '../../src/protocol/exit-reason.js';
import { InvalidSpecError } from '../../src/errors.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { setup, started, stopAll, w } from '../supervisor/harness.js';

/** A stack as a worker posts it: user frames around threadvisor's own worker runtime and Node internals. */
function stackOf(message: string, userLine = 7): string {
  return [
    `TypeError: ${message}`,
    `    at explode (file://${process.cwd()}/test/fixtures/counter.mjs:${userLine}:9)`,
    `    at invoke (file://${process.cwd()}/dist/worker.js:291:14)`,
    `    at #run (file://${process.cwd()}/dist/worker.js:215:14)`,
    '    at [nodejs.internal.kHybridDispatch] (node:internal/event_target:831:20)',
  ].join('\n');
}

const spec = (id: string, module = 'file:///app/src/job.mjs'): NormalizedChildSpec =>
  ({ id, type: 'worker', module, restart: 'permanent', shutdown: 5000, significant: false }) as unknown as NormalizedChildSpec;

function exited(id: string, reason: ExitReason, extra: Partial<DeliveredReport> = {}): DeliveredReport {
  return { supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_exited', id, spec: spec(id), reason, requested: false }, ...extra };
}
const typeError = (message: string, line = 7): ExitReason => ({ kind: 'error', error: { name: 'TypeError', message, stack: stackOf(message, line) } });

function collecting(windowMs = 60_000) {
  const clock = new VirtualClock();
  const reports: CrashReport[] = [];
  const reporter = crashReporter({ onCrash: (r) => void reports.push(r), windowMs, clock });
  return { clock, reports, reporter };
}

describe('crash fingerprints', () => {
  it('keep the error name and the first frame in user code, with its line and column, and leave the message out', () => {
    const a = crashFingerprint({ kind: 'error', error: { name: 'TypeError', stack: stackOf('user 42 not found') }, where: 'x' });
    const b = crashFingerprint({ kind: 'error', error: { name: 'TypeError', stack: stackOf('user 7 not found') }, where: 'x' });
    expect(a).toBe('TypeError@test/fixtures/counter.mjs:7:9');
    expect(b).toBe(a);
    expect(crashFingerprint({ kind: 'error', error: { name: 'TypeError', stack: stackOf('user 7 not found', 8) }, where: 'x' })).not.toBe(a);
  });

  it("skip threadvisor's own frames, node: internals and node_modules", () => {
    const stack = [
      'RangeError: deep',
      `    at invoke (file://${process.cwd()}/dist/worker.js:291:14)`,
      `    at run (${process.cwd()}/src/worker/actor-runtime.ts:10:3)`,
      '    at lib (/srv/app/node_modules/some-lib/index.js:3:4)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at handler (/srv/app/src/handler.js:12:30)',
    ].join('\n');
    expect(fingerprintFrame(stack, { root: '/srv/app' })).toBe('src/handler.js:12:30');
    expect(fingerprintFrame(stack, { root: '/srv/app', ignore: ['/srv/app/src/handler'] })).toBeNull();
  });

  it('fall back to the reason kind and the worker module when there is no error or no user frame', () => {
    expect(crashFingerprint({ kind: 'exit', code: 3, where: `file://${process.cwd()}/src/job.mjs` })).toBe('exit(3)@src/job.mjs');
    expect(crashFingerprint({ kind: 'hung', where: '/elsewhere/job.mjs' })).toBe('hung@/elsewhere/job.mjs');
    expect(crashFingerprint({ kind: 'start_failed', error: { name: 'SyntaxError', stack: 'SyntaxError: Unexpected token' }, where: 'jobs/w1' })).toBe('start_failed:SyntaxError@jobs/w1');
  });
});

describe('the crash reporter', () => {
  it('reports the first crash of a new fingerprint at once, flagged firstSeen, with the child, reason and error', () => {
    const { reports, reporter } = collecting();
    reporter(exited('w1', typeError('boom'), { supervisor: 'root/jobs', path: 'jobs', root: false }));
    expect(reports).toEqual([expect.objectContaining({
      kind: 'crash', supervisor: 'root/jobs', child: 'w1', path: 'jobs/w1', module: 'file:///app/src/job.mjs',
      reason: expect.objectContaining({ kind: 'error' }), error: expect.objectContaining({ name: 'TypeError', message: 'boom', stack: expect.stringContaining('counter.mjs:7:9') }),
      fingerprint: 'TypeError@test/fixtures/counter.mjs:7:9', firstSeen: true, count: 1, total: 1,
    })]);
    reporter.dispose();
  });

  it('ignores normal exits, requested stops, and the parent-side echo of an escalation', () => {
    const { reports, reporter } = collecting();
    reporter(exited('w1', { kind: 'normal' }));
    reporter(exited('w1', { kind: 'shutdown', detail: 'bye' }));
    reporter({ ...exited('w1', { kind: 'killed', afterMs: 5000 }), report: { type: 'child_exited', id: 'w1', spec: spec('w1'), reason: { kind: 'killed', afterMs: 5000 }, requested: true } });
    reporter(exited('jobs', { kind: 'max_intensity', supervisor: 'root/jobs', maxRestarts: 3, periodMs: 5000 }));
    expect(reports).toEqual([]);
    reporter.dispose();
  });

  it('folds a crash loop of 1000 crashes of a new fingerprint into the first report plus one summary at the window end', async () => {
    const { clock, reports, reporter } = collecting(60_000);
    for (let i = 0; i < 1000; i++) reporter(exited('w1', typeError(`crash number ${i}`)));
    expect(reports.map((r) => [r.firstSeen, r.count, r.total])).toEqual([[true, 1, 1]]);
    expect(reporter.pending).toBe(1);
    await clock.advance(59_999);
    expect(reports).toHaveLength(1);
    await clock.advance(1);
    expect(reports.map((r) => [r.firstSeen, r.count, r.total])).toEqual([[true, 1, 1], [false, 999, 1000]]);
    expect(reports[1]!.error!.message).toBe('crash number 999');
    expect(reporter.pending).toBe(0);
    reporter.dispose();
  });

  it('reports 1000 crashes of a known fingerprint in one window as one report with count 1000', async () => {
    const { clock, reports, reporter } = collecting(60_000);
    reporter(exited('w1', typeError('first')));
    await clock.advance(60_000);
    reports.length = 0;
    for (let i = 0; i < 1000; i++) reporter(exited('w1', typeError(`again ${i}`)));
    expect(reports).toEqual([]);
    await clock.advance(60_000);
    expect(reports.map((r) => [r.fingerprint, r.firstSeen, r.count, r.total])).toEqual([['TypeError@test/fixtures/counter.mjs:7:9', false, 1000, 1001]]);
    reporter.dispose();
  });

  it('flags a second, different bug as new while the first one is folding', () => {
    const { reports, reporter } = collecting();
    reporter(exited('w1', typeError('a')));
    reporter(exited('w1', typeError('a')));
    reporter(exited('w1', typeError('b', 30)));
    reporter(exited('w2', { kind: 'exit', code: 1 }));
    expect(reports.map((r) => [r.fingerprint, r.firstSeen])).toEqual([
      ['TypeError@test/fixtures/counter.mjs:7:9', true],
      ['TypeError@test/fixtures/counter.mjs:30:9', true],
      ['exit(1)@/app/src/job.mjs', true],
    ]);
    reporter.flush();
    expect(reports.at(-1)).toMatchObject({ fingerprint: 'TypeError@test/fixtures/counter.mjs:7:9', firstSeen: false, count: 1, total: 2 });
    expect(reporter.pending).toBe(0);
    reporter.dispose();
  });

  it('reports at once after dispose(), and its timers are gone', async () => {
    const { clock, reports, reporter } = collecting();
    reporter(exited('w1', typeError('a')));
    reporter(exited('w1', typeError('a')));
    reporter.dispose();
    expect(reports.map((r) => r.count)).toEqual([1, 1]);
    expect(clock.pendingTimers).toBe(0);
    reporter(exited('w1', typeError('a')));
    expect(reports.map((r) => [r.count, r.total])).toEqual([[1, 1], [1, 2], [1, 3]]);
  });

  it('logs a throwing or rejecting onCrash with the report, and keeps reporting', async () => {
    const records: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { records.push(JSON.parse(String(chunk))); cb(); } }));
    let calls = 0;
    const reporter = crashReporter({ logger, windowMs: 1000, clock: new VirtualClock(), onCrash: (r) => {
      calls += 1;
      if (r.fingerprint.startsWith('exit')) return Promise.reject(new Error('sentry is down'));
      throw new Error('hook bug');
    } });
    reporter(exited('w1', typeError('a')));
    reporter(exited('w1', { kind: 'exit', code: 2 }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(2);
    expect(records).toEqual([
      expect.objectContaining({ level: 50, context: 'crash_reporter_error', fingerprint: 'TypeError@test/fixtures/counter.mjs:7:9', err: expect.objectContaining({ message: 'hook bug' }), crash: expect.objectContaining({ count: 1 }) }),
      expect.objectContaining({ level: 50, context: 'crash_reporter_error', fingerprint: 'exit(2)@/app/src/job.mjs', err: expect.objectContaining({ message: 'sentry is down' }) }),
    ]);
    reporter.dispose();
  });

  it('refuses bad options with ERR_INVALID_SPEC, naming each', () => {
    expect(() => crashReporter({ onCrash: 1 as never, windowMs: 0 })).toThrow(InvalidSpecError);
    expect(() => crashReporter({ onCrash: 1 as never, windowMs: 0 })).toThrow(/onCrash: expected a function[\s\S]*windowMs: expected a whole number of ms from 1/);
  });

  it('sees the crashes and the escalation of a simulated tree, each escalation once', async () => {
    const env = setup();
    const reports: CrashReport[] = [];
    const reporter = crashReporter({ onCrash: (r) => void reports.push(r), clock: env.clock });
    const sup = await started({ maxRestarts: 1, periodMs: 10_000, children: [w('a')] }, env, { reporters: [reporter] });
    env.host.current('sim:a')!.crash({ kind: 'exit', code: 1 });
    await env.clock.advance(1);
    env.host.current('sim:a')!.crash({ kind: 'hung', missedMs: 3000 });
    await env.clock.runAll();
    expect(await sup.exited).toMatchObject({ kind: 'max_intensity' });
    expect(reports.map((r) => [r.kind, r.child, r.path, r.fingerprint, r.firstSeen])).toEqual([
      ['crash', 'a', 'a', 'exit(1)@sim:a', true],
      ['crash', 'a', 'a', 'hung@sim:a', true],
      ['escalation', 'root', '', 'max_intensity@root', true],
    ]);
    await stopAll(sup, env);
    reporter.dispose();
  });
});

describe('fingerprint options', () => {
  it('are checked when a reporter is built, so a bad one cannot lose every crash later', () => {
    const build = (options: object) => () => crashReporter({ onCrash: () => {}, ...options } as never);
    expect(build({ ignore: 5 })).toThrow(/ignore: expected an array of file prefixes/);
    expect(build({ ignore: [/x/, 5] })).toThrow(/ignore: expected an array/);
    expect(build({ root: 5 })).toThrow(/root: expected a directory path; given 5/);
    expect(build({ logger: { error() {} } })).toThrow(/logger: expected a pino-compatible logger/);
    expect(build({ ignore: ['lib/', /vendor/], root: '/app' })).not.toThrow();
  });
});
