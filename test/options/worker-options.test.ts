// One schema for worker options: startWorker (through the runtime's resolveSettings) and a worker child
// spec accept the same values and refuse the rest with the same messages, at the same relative paths.
import { SHARE_ENV } from 'node:worker_threads';
import { pino } from 'pino';
import { parseSupervisorSpec } from '../../src/core/validate.js';
import { InvalidSpecError, type SpecIssue } from '../../src/errors.js';
import { resolveSettings } from '../../src/runtime/settings.js';
import type { WorkerStartOptions } from '../../src/seams/child-host.js';

const module = '/abs/w.mjs';
const silent = pino({ level: 'silent' });

function refusal(run: () => unknown): SpecIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return [...(error as InvalidSpecError).issues];
  }
  throw new Error('expected the options to be refused');
}

/** The issues of `options` given to startWorker's validation. */
const asWorkerOptions = (options: object) => refusal(() => resolveSettings({ module, ...options } as WorkerStartOptions, silent));
/** The issues of the same options in a worker child spec, with paths made relative to the child. */
const asChildSpec = (options: object) =>
  refusal(() => parseSupervisorSpec({ children: [{ type: 'worker', id: 'w', module, ...options }] })).map((i) => ({
    path: i.path.replace(/^children\.0\.?/, ''),
    message: i.message,
  }));

describe('worker options, in startWorker and in a child spec', () => {
  it.each([
    ['a fractional heartbeat', { heartbeatMs: 1.5 }, 'heartbeatMs', 'expected a whole number of ms from 1 to 2147483647, or false; given 1.5'],
    ['a heartbeat past the timer maximum', { heartbeatMs: 2 ** 31 }, 'heartbeatMs', 'expected a whole number of ms from 1 to 2147483647, or false; given 2147483648'],
    ['a NaN start timeout', { startTimeoutMs: NaN }, 'startTimeoutMs', 'expected a whole number of ms from 1 to 2147483647; given NaN'],
    ['an Infinity start timeout', { startTimeoutMs: Infinity }, 'startTimeoutMs', 'expected a whole number of ms from 1 to 2147483647; given Infinity'],
    ['a fractional call timeout', { callTimeoutMs: 1.5 }, 'callTimeoutMs', 'expected a whole number of ms from 1 to 2147483647, or Infinity; given 1.5'],
    ['a zero call timeout', { callTimeoutMs: 0 }, 'callTimeoutMs', 'expected a whole number of ms from 1 to 2147483647, or Infinity; given 0'],
    ['a name that is not a string', { name: 5 }, 'name', 'expected a string; given 5'],
    ['execArgv with a number', { execArgv: ['--x', 1] }, 'execArgv', 'expected an array of strings; given ["--x",1]'],
    ['env with a number', { env: { A: 1 } }, 'env.A', 'expected a string; given 1'],
    ['env as another symbol', { env: Symbol('x') }, 'env', 'expected an object of strings or SHARE_ENV; given Symbol(x)'],
    ['a negative resource limit', { resourceLimits: { maxOldGenerationSizeMb: -1 } }, 'resourceLimits.maxOldGenerationSizeMb', 'expected a finite number of MB > 0; given -1'],
    ['an Infinity resource limit', { resourceLimits: { stackSizeMb: Infinity } }, 'resourceLimits.stackSizeMb', 'expected a finite number of MB > 0; given Infinity'],
    ['an unknown resource limit', { resourceLimits: { maxHeapMb: 64 } }, 'resourceLimits', "expected only the keys maxYoungGenerationSizeMb, maxOldGenerationSizeMb, codeRangeSizeMb, stackSizeMb; given unknown key 'maxHeapMb'"],
  ])('refuses %s with the same message in both', (_what, options, path, message) => {
    expect(asWorkerOptions(options)).toEqual([{ path, message }]);
    expect(asChildSpec(options)).toEqual([{ path, message }]);
  });

  it("refuses a misspelt key in both and names the key it resembles", () => {
    const worker = asWorkerOptions({ hearbeatMs: 500 });
    const child = asChildSpec({ hearbeatMs: 500 });
    expect(worker).toHaveLength(1);
    expect(worker[0]!.message).toMatch(/given unknown key 'hearbeatMs' \(did you mean 'heartbeatMs'\?\)$/);
    expect(child).toHaveLength(1);
    expect(child[0]!.message).toMatch(/given unknown key 'hearbeatMs' \(did you mean 'heartbeatMs'\?\)$/);
  });

  it('accepts the same values in both: an Infinity call timeout, SHARE_ENV, resource limits, heartbeats off', () => {
    const options = { callTimeoutMs: Infinity, env: SHARE_ENV, resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 4 }, heartbeatMs: false as const };
    const settings = resolveSettings({ module, ...options }, silent);
    expect(settings).toMatchObject({ callTimeoutMs: Infinity, env: SHARE_ENV, heartbeatMs: false, resourceLimits: options.resourceLimits });
    const spec = parseSupervisorSpec({ children: [{ type: 'worker', id: 'w', module, ...options }] });
    expect(spec.children[0]).toMatchObject(options);
  });

  it('fills in the same defaults the docs state', () => {
    expect(resolveSettings({ module }, silent)).toMatchObject({ heartbeatMs: 1000, startTimeoutMs: 30_000, callTimeoutMs: 5000 });
    expect(parseSupervisorSpec({ children: [{ type: 'worker', id: 'w', module }] }).children[0]).toMatchObject({ shutdown: 5000, restart: 'permanent', significant: false });
  });

  it('refuses undefined and null as worker options with InvalidSpecError, not TypeError', () => {
    for (const options of [undefined, null]) {
      expect(refusal(() => resolveSettings(options as unknown as WorkerStartOptions, silent))).toEqual([
        { path: '', message: `expected an object of worker options with a module; given ${String(options)}` },
      ]);
    }
  });

  it('refuses file URLs that have no path on this platform with InvalidSpecError, not TypeError', () => {
    for (const bad of ['file://host/w.mjs', 'file:///dir%2Fw.mjs']) {
      const issues = asWorkerOptions({ module: bad });
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('module');
      expect(issues[0]!.message).toMatch(new RegExp(`^expected a file: URL .*; given "${bad}" \\(File URL`));
    }
  });

  it('refuses a Proxy of a URL in both with the same message', () => {
    const proxy = new Proxy(new URL('file:///abs/w.mjs'), {});
    const worker = asWorkerOptions({ module: proxy });
    expect(worker).toEqual([{ path: 'module', message: expect.stringMatching(/; given a URL whose href cannot be read/) }]);
    expect(asChildSpec({ module: proxy })).toEqual(worker);
  });
});
