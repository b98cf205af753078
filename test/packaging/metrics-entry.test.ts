/**
 * prom-client as the optional peer dependency it is, on the packed package: without it the main entry
 * loads, the health server runs and `/metrics` answers 501, and only `threadvisor/metrics` fails (naming
 * prom-client); with it, `threadvisor/metrics` loads through import and require and type-checks.
 * Needs dist/ (`npm test` builds first).
 */
import { node, packedConsumers, tsc } from './consumer.js';

const consumer = packedConsumers('metrics.js', 'threadvisor-metrics-pack-');

/** Starts the health server over a fixed tree, prints the status and body of /healthz and /metrics. */
const PROBE = `
const tree = () => ({ name: 'root', strategy: 'one_for_one', phase: 'running', children: [] });
const server = await tv.startHealthServer({ tree }, { port: 0 });
const answers = {};
for (const path of ['/healthz', '/metrics']) {
  const res = await fetch(server.url + path);
  answers[path] = [res.status, await res.text()];
}
await server.close();
console.log(JSON.stringify(answers));
`;

/** Feeds one crash report to a reporter on its own registry and prints the crash series. */
const USE_METRICS = `
const registry = new prom.Registry();
const reporter = metrics.prometheusReporter({ registry });
const spec = { id: 'w', type: 'worker', module: 'file:///app/w.mjs', restart: 'permanent', shutdown: 5000, significant: false };
reporter({ supervisor: 'root', path: '', root: true, at: 0, report: { type: 'child_exited', id: 'w', spec, requested: false, reason: { kind: 'exit', code: 1 } } });
const text = await registry.metrics();
console.log(JSON.stringify(text.split('\\n').filter((l) => l.startsWith('threadvisor_crashes_total{'))));
`;

describe('threadvisor installed without prom-client', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('without-prom-client');
  });

  it('is a project where prom-client cannot be resolved', () => {
    const probe = node(dir, 'probe.mjs', "await import('prom-client');");
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain("Cannot find package 'prom-client'");
  });

  it.each([
    ['import', 'probe.mjs', "import * as tv from 'threadvisor';\n"],
    ['require', 'probe.cjs', "const tv = require('threadvisor');\n(async () => {\n"],
  ])('loads the main entry through %s and answers /metrics with 501, /healthz with 200', (_how, file, head) => {
    const code = file.endsWith('.cjs') ? `${head}${PROBE}})();\n` : `${head}${PROBE}`;
    const run = node(dir, file, code);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      '/healthz': [200, 'ok\n'],
      '/metrics': [501, 'metrics unavailable: prom-client is not installed (npm install prom-client), and no registry was given\n'],
    });
    expect(run.status).toBe(0);
  });

  it('type-checks a consumer of the main entry (crash reports, health server) against the shipped declarations', () => {
    const code = `import { crashReporter, startHealthServer, type CrashReport, type HealthServer } from 'threadvisor';
const reports: CrashReport[] = [];
const crashes = crashReporter({ onCrash: (r) => void reports.push(r), windowMs: 1000 });
export async function serve(sup: { tree(): import('threadvisor').SupervisorTree }): Promise<HealthServer> {
  return startHealthServer(sup, { port: 0, criticalChildren: ['db'] });
}
export const used = [crashes.flush, reports];
`;
    const checked = tsc(dir, { 'uses-main.ts': code });
    expect(checked.stdout).toBe('');
    expect(checked.status).toBe(0);
  }, 60_000);

  it('refuses threadvisor/metrics with an error that names prom-client', () => {
    const run = node(dir, 'metrics.mjs', "await import('threadvisor/metrics');");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Cannot find package 'prom-client'");
  });
});

describe('threadvisor/metrics installed with prom-client', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('with-prom-client', { extra: ['prom-client'] });
  });
  const crashed = ['threadvisor_crashes_total{fingerprint="exit(1)@/app/w.mjs"} 1'];

  it('loads through import', () => {
    const run = node(dir, 'm.mjs', `import * as prom from 'prom-client';\nimport * as metrics from 'threadvisor/metrics';\n${USE_METRICS}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(crashed);
    expect(run.status).toBe(0);
  });

  it('loads through require', () => {
    const run = node(dir, 'm.cjs', `const prom = require('prom-client');\nconst metrics = require('threadvisor/metrics');\n(async () => {\n${USE_METRICS}})();\n`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(crashed);
    expect(run.status).toBe(0);
  });

  it('type-checks a consumer against the shipped declarations', () => {
    const code = `import { Registry } from 'prom-client';
import { prometheusReporter, type PrometheusReporter } from 'threadvisor/metrics';
const reporter: PrometheusReporter = prometheusReporter({ registry: new Registry(), maxFingerprints: 50 });
// @ts-expect-error buckets are numbers (seconds)
prometheusReporter({ buckets: ['fast'] });
export const used = [reporter.observeCall, reporter.registry];
`;
    const checked = tsc(dir, { 'uses-metrics.ts': code });
    expect(checked.stdout).toBe('');
    expect(checked.status).toBe(0);
  }, 60_000);
});
