import { Registry } from 'prom-client';
import { startSupervisor, worker, supervisor, type Supervisor } from '../../src/index.js';
import { prometheusReporter } from '../../src/metrics/index.js';
import { startHealthServer } from '../../src/health/health-server.js';
import type { DeliveredReport } from '../../src/observability/delivered-report.js';
import { InvalidSpecError } from '../../src/errors.js';
import { fixture, next, silent } from '../integration/supervisor-harness.js';
import { threadsAlive } from '../integration/worker-harness.js';
import { get } from '../health/http.js';

/** The value of one sample in a Prometheus text exposition (`undefined` when the series is absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the Prometheus reporter (real threads)', () => {
  let sup: Supervisor | undefined;
  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
    expect(await threadsAlive()).toBe(0);
  });

  it('moves the restart and crash counters when a child crashes, and counts children and calls, as /metrics shows', async () => {
    const registry = new Registry();
    const metrics = prometheusReporter({ registry });
    sup = await startSupervisor({
      children: [worker({ id: 'counter', module: fixture('counter.mjs') }), supervisor({ id: 'jobs', children: [worker({ id: 'w1', module: fixture('counter.mjs') })] })],
    }, { logger: silent, reporters: [metrics], observeCall: metrics.observeCall });
    const unwatch = metrics.watch(sup);
    const health = await startHealthServer(sup, { port: 0, registry: metrics.registry });
    try {
      const before = (await get(health.url, '/metrics')).body;
      expect(sample(before, 'threadvisor_children{supervisor="root",status="running"}')).toBe(2);
      expect(sample(before, 'threadvisor_children{supervisor="root/jobs",status="running"}')).toBe(1);
      expect(sample(before, 'threadvisor_children{supervisor="root",status="restarting"}')).toBe(0);
      expect(before).not.toContain('threadvisor_restarts_total{');
      expect(before).not.toContain('threadvisor_crashes_total{');

      expect(await sup.ref('jobs/w1').call('add', 2)).toBe(2);
      const restarted = next(sup, 'child:restarted', (e) => e.id === 'w1');
      sup.ref('jobs/w1').cast('crash', 'boom 1');
      await restarted;
      const after = (await get(health.url, '/metrics')).body;
      expect(sample(after, 'threadvisor_restarts_total{supervisor="root/jobs",child="jobs/w1",reason="error"}')).toBe(1);
      expect(sample(after, 'threadvisor_crashes_total{fingerprint="TypeError@test/fixtures/counter.mjs:7:9"}')).toBe(1);
      expect(sample(after, 'threadvisor_call_duration_seconds_count{child="jobs/w1",method="add",outcome="ok"}')).toBe(1);
      expect(sample(after, 'threadvisor_children{supervisor="root/jobs",status="running"}')).toBe(1);
      expect(after).toContain('# TYPE threadvisor_call_duration_seconds histogram');
      await expect(sup.ref('jobs/w1').call('nope' as never)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_METHOD' });
      const last = await registry.metrics();
      expect(sample(last, 'threadvisor_call_duration_seconds_count{child="jobs/w1",method="(unknown)",outcome="ERR_UNKNOWN_METHOD"}')).toBe(1);
    } finally {
      unwatch();
      await health.close();
    }
  });
});

describe('the Prometheus reporter (reports fed directly)', () => {
  const spec = { id: 'w', type: 'worker', module: 'file:///app/w.mjs', restart: 'permanent', shutdown: 5000, significant: false } as never;
  const crash = (n: number): DeliveredReport => ({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_exited', id: 'w', spec, requested: false, reason: { kind: 'exit', code: n } } });

  it('caps the fingerprint label: past maxFingerprints, crashes count under "other"', async () => {
    const registry = new Registry();
    const metrics = prometheusReporter({ registry, maxFingerprints: 2 });
    for (let code = 1; code <= 5; code++) metrics(crash(code));
    metrics(crash(1));
    const text = await registry.metrics();
    expect(sample(text, 'threadvisor_crashes_total{fingerprint="exit(1)@/app/w.mjs"}')).toBe(2);
    expect(sample(text, 'threadvisor_crashes_total{fingerprint="exit(2)@/app/w.mjs"}')).toBe(1);
    expect(sample(text, 'threadvisor_crashes_total{fingerprint="other"}')).toBe(3);
  });

  it('counts an escalation once, under the supervisor that gave up, and a group restart under its trigger\'s reason', async () => {
    const registry = new Registry();
    const metrics = prometheusReporter({ registry });
    const sibling = { ...(spec as object), id: 's' } as never;
    metrics(crash(3));
    metrics({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'restart_scheduled', trigger: 'w', children: ['w', 's'], delayMs: 0, attempt: 1, dueAt: 0 } });
    metrics({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_started', id: 'w', spec, restart: true, restartCount: 1 } });
    metrics({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_started', id: 's', spec: sibling, restart: true, restartCount: 1 } });
    metrics({ supervisor: 'root/jobs', path: 'jobs', root: false, at: 0, report: { type: 'supervisor_exited', reason: { kind: 'max_intensity', supervisor: 'root/jobs', maxRestarts: 3, periodMs: 5000 } } });
    metrics({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_exited', id: 'jobs', spec, requested: false, reason: { kind: 'max_intensity', supervisor: 'root/jobs', maxRestarts: 3, periodMs: 5000 } } });
    const text = await registry.metrics();
    expect(sample(text, 'threadvisor_restarts_total{supervisor="root",child="w",reason="exit"}')).toBe(1);
    expect(sample(text, 'threadvisor_restarts_total{supervisor="root",child="s",reason="exit"}')).toBe(1);
    expect(sample(text, 'threadvisor_escalations_total{supervisor="root/jobs"}')).toBe(1);
    expect(sample(text, 'threadvisor_crashes_total{fingerprint="max_intensity@jobs"}')).toBe(1);
  });

  it('shares one set of metrics between reporters on one registry, and refuses bad options', () => {
    const registry = new Registry();
    prometheusReporter({ registry });
    expect(() => prometheusReporter({ registry })).not.toThrow();
    expect(registry.getMetricsAsArray().map((m) => m.name).sort()).toEqual([
      'threadvisor_call_duration_seconds', 'threadvisor_children', 'threadvisor_crashes_total', 'threadvisor_escalations_total', 'threadvisor_restarts_total',
    ]);
    expect(() => prometheusReporter({ maxFingerprints: 0, buckets: [] })).toThrow(InvalidSpecError);
    expect(() => prometheusReporter({ maxFingerprints: 0 })).toThrow(/maxFingerprints: expected a whole number >= 1; given 0/);
  });
});
