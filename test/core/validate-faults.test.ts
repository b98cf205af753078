// Issue 8's validation faults, each closed for its whole kind: unions name the wrong field, significant
// children need an auto-shutdown, timer limits are checked up front, and a spec too deep or containing
// itself is refused before anything walks it recursively.
import fc from 'fast-check';
import { parseChildSpec, parseDynamicSupervisorSpec, parseSupervisorSpec } from '../../src/core/validate.js';
import { InvalidSpecError, type SpecIssue } from '../../src/errors.js';

function issuesOf(run: () => unknown): SpecIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return [...(error as InvalidSpecError).issues];
  }
  throw new Error('expected the spec to be refused');
}

const w = (id: string, extra: object = {}) => ({ type: 'worker', id, module: '/abs/w.mjs', ...extra });
const sup = (id: string, extra: object = {}) => ({ type: 'supervisor', id, children: [], ...extra });

describe('a union names the field that is wrong', () => {
  it('reports every bad field of a backoff at its own path', () => {
    const issues = issuesOf(() => parseSupervisorSpec({ backoff: { initialMs: 'soon', maxMs: -1, factor: 0, jitter: 2 }, children: [] }));
    expect(issues).toEqual([
      { path: 'backoff.initialMs', message: 'expected a number of ms from 0 to 2147483647; given "soon"' },
      { path: 'backoff.maxMs', message: 'expected a number of ms from 0 to 2147483647; given -1' },
      { path: 'backoff.factor', message: 'expected a finite number >= 1; given 0' },
      { path: 'backoff.jitter', message: 'expected a number from 0 to 1; given 2' },
    ]);
  });

  it("reports a backoff's missing key and unknown key, and a worker's own backoff, at their paths", () => {
    const issues = issuesOf(() => parseSupervisorSpec({ children: [w('a', { backoff: { initialMs: 10, factr: 3 } })] }));
    expect(issues.map((i) => i.path)).toEqual(['children.0.backoff.maxMs', 'children.0.backoff']);
    expect(issues[0]!.message).toBe('expected a number of ms from 0 to 2147483647; given undefined');
    expect(issues[1]!.message).toMatch(/given unknown key 'factr' \(did you mean 'factor'\?\)$/);
  });

  it('says what a union accepts when the value fits no branch', () => {
    expect(issuesOf(() => parseSupervisorSpec({ backoff: true, children: [] }))).toEqual([
      { path: 'backoff', message: 'expected false or an object with initialMs and maxMs (factor, jitter, resetAfterMs optional); given true' },
    ]);
  });

  it('shows Infinity and NaN as themselves in messages', () => {
    const issues = issuesOf(() => parseSupervisorSpec({ maxRestarts: NaN, periodMs: Infinity, children: [w('a', { shutdown: Infinity })] }));
    expect(issues).toEqual([
      { path: 'maxRestarts', message: 'expected a whole number >= 0; given NaN' },
      { path: 'periodMs', message: 'expected a finite number of ms > 0; given Infinity' },
      { path: 'children.0.shutdown', message: "expected a whole number of ms from 0 to 2147483647, 'brutal_kill' or 'infinity'; given Infinity" },
    ]);
  });
});

describe("a significant child under autoShutdown 'never' (OTP's bad_combination)", () => {
  const message = "expected significant: false under autoShutdown 'never' (a significant child only matters with 'any_significant' or 'all_significant'); given true";

  it('is refused in the tree spec, with the default autoShutdown and a stated one', () => {
    expect(issuesOf(() => parseSupervisorSpec({ children: [w('a', { restart: 'transient', significant: true })] }))).toEqual([{ path: 'children.0.significant', message }]);
    expect(issuesOf(() => parseSupervisorSpec({ autoShutdown: 'never', children: [sup('s', { restart: 'temporary', significant: true, children: [w('x')] })] }))).toEqual([
      { path: 'children.0.significant', message },
    ]);
  });

  it("is refused in a nested supervisor's spec, judged by that supervisor's own flags", () => {
    const nested = sup('s', { restart: 'transient', significant: true, autoShutdown: 'any_significant', children: [w('x', { restart: 'temporary', significant: true }), sup('t', { children: [w('y', { restart: 'transient', significant: true })] })] });
    expect(issuesOf(() => parseSupervisorSpec({ autoShutdown: 'any_significant', children: [nested] }))).toEqual([
      { path: 'children.0.children.1.children.0.significant', message },
    ]);
  });

  it("is refused by startChild's parse against the target supervisor's flags, and accepted under any_significant", () => {
    const child = w('a', { restart: 'transient', significant: true });
    expect(issuesOf(() => parseChildSpec(child, { autoShutdown: 'never' }))).toEqual([{ path: 'significant', message }]);
    expect(issuesOf(() => parseChildSpec(child))).toEqual([{ path: 'significant', message }]);
    expect(parseChildSpec(child, { autoShutdown: 'any_significant' })).toMatchObject({ id: 'a', significant: true });
  });

  it("is refused as a dynamic supervisor's template, which has no auto-shutdown", () => {
    expect(issuesOf(() => parseDynamicSupervisorSpec({ template: { module: '/abs/w.mjs', restart: 'transient', significant: true } }))).toEqual([
      { path: 'template.significant', message: "expected significant: false in a dynamic supervisor's template (a dynamic supervisor has no autoShutdown, so the flag would do nothing); given true" },
    ]);
  });
});

describe('limits are checked before anything starts, at their full path', () => {
  it('refuses timer values past 2^31-1 ms at the path of the child that holds them', () => {
    const issues = issuesOf(() => parseSupervisorSpec({ children: [w('a'), w('b', { heartbeatMs: 2 ** 31, startTimeoutMs: 2 ** 31, shutdown: 2 ** 31 })] }));
    expect(issues.map((i) => i.path)).toEqual(['children.1.shutdown', 'children.1.heartbeatMs', 'children.1.startTimeoutMs']);
    expect(issues.every((i) => i.message.endsWith('; given 2147483648'))).toBe(true);
  });

  it('refuses backoff delays past the timer maximum', () => {
    expect(issuesOf(() => parseSupervisorSpec({ backoff: { initialMs: 1, maxMs: 2 ** 31 }, children: [] }))).toEqual([
      { path: 'backoff.maxMs', message: 'expected a number of ms from 0 to 2147483647; given 2147483648' },
    ]);
  });

  it('accepts an Infinity call timeout (calls that never time out) and nothing else that is not whole ms', () => {
    expect(parseSupervisorSpec({ children: [w('a', { callTimeoutMs: Infinity })] }).children[0]).toMatchObject({ callTimeoutMs: Infinity });
    expect(issuesOf(() => parseSupervisorSpec({ children: [w('a', { callTimeoutMs: -Infinity })] }))[0]!.path).toBe('children.0.callTimeoutMs');
  });

  it('names paths relative to the spec given to startChild', () => {
    expect(issuesOf(() => parseChildSpec(w('a', { module: 5 })))).toEqual([{ path: 'module', message: expect.stringMatching(/^expected a file: URL .*; given 5$/) }]);
    expect(issuesOf(() => parseChildSpec(sup('s', { children: [w('x', { heartbeatMs: 0 })] })))[0]!.path).toBe('children.0.heartbeatMs');
  });
});

describe('specs too deep or containing themselves', () => {
  function nested(levels: number): Record<string, unknown> {
    const root: Record<string, unknown> = { children: [] };
    let at = root;
    for (let i = 0; i < levels; i++) {
      const next = sup(`s${i}`, { children: [] as unknown[] });
      (at.children as unknown[]).push(next);
      at = next;
    }
    return root;
  }

  it('accepts supervisors nested 100 levels deep', () => {
    expect(() => parseSupervisorSpec(nested(100))).not.toThrow();
  });

  it('refuses 700 levels with InvalidSpecError instead of overflowing the stack', () => {
    const issues = issuesOf(() => parseSupervisorSpec(nested(700)));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(Array.from({ length: 101 }, () => 'children.0').join('.'));
    expect(issues[0]!.message).toBe('expected supervisors nested at most 100 levels deep; given a supervisor at level 101');
  });

  it('refuses a spec that contains itself, naming where', () => {
    const loop: Record<string, unknown> = sup('loop', { children: [] as unknown[] });
    (loop.children as unknown[]).push(w('a'), loop);
    expect(issuesOf(() => parseSupervisorSpec({ children: [loop] }))).toEqual([
      { path: 'children.0.children.1', message: 'expected a tree of child specs; given a spec that contains itself (this is the spec at children.0)' },
    ]);
    const root: Record<string, unknown> = { children: [] as unknown[] };
    (root.children as unknown[]).push(root);
    expect(issuesOf(() => parseSupervisorSpec(root))[0]!.message).toContain('the spec at (root)');
    expect(issuesOf(() => parseChildSpec(loop))[0]!.path).toBe('children.1');
  });

  it('accepts one spec object used in two places that do not contain each other', () => {
    const shared = sup('s', { children: [w('x')] });
    expect(() => parseSupervisorSpec({ children: [shared, sup('t', { children: [shared] })] })).not.toThrow();
  });
});

describe('the one grammar', () => {
  it('phrases every issue of any malformed spec as "expected ...; given ..." and throws nothing but InvalidSpecError', () => {
    const value = fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true });
    const worker = fc.record({ type: fc.constant('worker'), id: fc.oneof(fc.string(), value), module: fc.oneof(fc.constant('/abs/w.mjs'), value), heartbeatMs: value, backoff: value, env: value, resourceLimits: value }, { requiredKeys: ['type', 'id'] });
    const spec = fc.record({ strategy: value, maxRestarts: value, periodMs: value, backoff: value, autoShutdown: value, children: fc.oneof(fc.array(fc.oneof(worker, value), { maxLength: 3 }), value) }, { requiredKeys: [] });
    fc.assert(
      fc.property(spec, (input) => {
        try {
          parseSupervisorSpec(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidSpecError);
          for (const issue of (error as InvalidSpecError).issues) expect(issue.message).toMatch(/^expected .+; given .+/s);
        }
      }),
      { numRuns: 500 },
    );
  });
});
