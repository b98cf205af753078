/**
 * The test kit as a user installs it: `npm pack` the built package, unpack the tarball into a consumer
 * project whose node_modules holds threadvisor's runtime dependencies but no fast-check, and load
 * `threadvisor/testing` there (ESM and CJS, in child processes) and type-check a consumer of it with tsc.
 * fast-check is an optional peer dependency: only `threadvisor/testing/arbitraries` may need it.
 * Needs dist/ (`npm test` builds first).
 */
import { node, packedConsumers, tsc } from './consumer.js';

/** fast-check is never among the extras unless a test asks: its absence is what is tested. */
const consumer = packedConsumers('testing.js', 'threadvisor-pack-');

/** What each consumer script prints: a run of the simulator and the shell's simulated host. */
const USE_KIT = `
const spec = { children: [{ type: 'worker', id: 'db', module: 'sim:db' }] };
const result = kit.simulate(spec, [{ at: 10, path: 'db', fault: 'crash', reason: 'error' }], { untilMs: 100 });
const host = new kit.SimulatedHost(new kit.VirtualClock()).define('sim:db', { init: () => ({}) });
console.log(JSON.stringify({ exited: result.exited, paths: kit.workerPaths(spec), host: host.constructor.name }));
`;
const KIT_RAN = { exited: 'shutdown', paths: ['db'], host: 'SimulatedHost' };

const USE_ARBITRARIES = `
const [spec] = fc.sample(arb.treeArbitrary({ maxDepth: 2 }), { numRuns: 1, seed: 1 });
console.log(JSON.stringify({ children: Array.isArray(spec.children), faults: typeof arb.faultScheduleArbitrary, scenarios: typeof arb.scenarioArbitrary }));
`;
const ARBITRARIES_RAN = { children: true, faults: 'function', scenarios: 'function' };

describe('threadvisor/testing installed without fast-check', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('without-fast-check');
  });

  it('is a project where fast-check cannot be resolved', () => {
    const probe = node(dir, 'probe.mjs', "await import('fast-check');");
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain("Cannot find package 'fast-check'");
  });

  it('loads the simulator, SimulatedHost and VirtualClock through import', () => {
    const run = node(dir, 'kit.mjs', `import * as kit from 'threadvisor/testing';\n${USE_KIT}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(KIT_RAN);
    expect(run.status).toBe(0);
  });

  it('loads the simulator, SimulatedHost and VirtualClock through require', () => {
    const run = node(dir, 'kit.cjs', `const kit = require('threadvisor/testing');\n${USE_KIT}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(KIT_RAN);
    expect(run.status).toBe(0);
  });

  it('type-checks an ESM and a CommonJS consumer against the shipped declarations', () => {
    const body = `
const spec: SupervisorSpec = { children: [{ type: 'worker', id: 'db', module: 'sim:db' }] };
const faults: Fault[] = [{ at: 10, path: 'db', fault: 'crash', reason: 'error' }];
const result: SimulationResult = simulate(spec, faults, { seed: 1 });
const host: SimulatedHost = new SimulatedHost(new VirtualClock());
// @ts-expect-error the declarations are real types, not \`any\`: a crash reason is one of a closed set
const typo: Fault = { at: 1, path: 'db', fault: 'crash', reason: 'boom' };
export const used = [result.exited, host, typo, workerPaths(spec)];
`;
    const imports = "import { simulate, workerPaths, SimulatedHost, VirtualClock, type Fault, type SimulationResult } from 'threadvisor/testing';\nimport type { SupervisorSpec } from 'threadvisor';\n";
    const checked = tsc(dir, { 'uses-kit.ts': imports + body, 'uses-kit.cts': imports + body });
    expect(checked.stdout).toBe('');
    expect(checked.status).toBe(0);
  }, 60_000);

  it('refuses the arbitraries entry with an error that names fast-check', () => {
    const run = node(dir, 'arbitraries.mjs', "await import('threadvisor/testing/arbitraries');");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Cannot find package 'fast-check'");
  });
});

describe('threadvisor/testing/arbitraries installed with fast-check', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumer('with-fast-check', { extra: ['fast-check'] });
  });

  it('loads the arbitraries through import', () => {
    const run = node(dir, 'arb.mjs', `import fc from 'fast-check';\nimport * as arb from 'threadvisor/testing/arbitraries';\n${USE_ARBITRARIES}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(ARBITRARIES_RAN);
    expect(run.status).toBe(0);
  });

  it('loads the arbitraries through require', () => {
    const run = node(dir, 'arb.cjs', `const fc = require('fast-check');\nconst arb = require('threadvisor/testing/arbitraries');\n${USE_ARBITRARIES}`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(ARBITRARIES_RAN);
    expect(run.status).toBe(0);
  });
});
