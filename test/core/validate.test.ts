import { parseSupervisorSpec, parseChildSpec } from '../../src/core/validate.js';
import { InvalidSpecError } from '../../src/errors.js';

function issuesOf(spec: unknown): { path: string; message: string }[] {
  try {
    parseSupervisorSpec(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).code).toBe('ERR_INVALID_SPEC');
    return [...(error as InvalidSpecError).issues];
  }
  throw new Error('expected the spec to be refused');
}

const w = (id: string, extra: object = {}) => ({ type: 'worker', id, module: '/abs/w.mjs', ...extra });

describe('spec validation', () => {
  it('fills in OTP-like defaults', () => {
    const spec = parseSupervisorSpec({ children: [w('a'), { type: 'supervisor', id: 's', children: [] }] });
    expect(spec).toMatchObject({ strategy: 'one_for_one', maxRestarts: 3, periodMs: 5000, backoff: null, autoShutdown: 'never' });
    expect(spec.children[0]).toMatchObject({ restart: 'permanent', shutdown: 5000, significant: false });
    expect(spec.children[1]).toMatchObject({ restart: 'permanent', shutdown: 'infinity' });
  });

  it('names the path, what is accepted and what was given for an unknown strategy', () => {
    expect(issuesOf({ strategy: 'one_for_none', children: [] })).toEqual([
      { path: 'strategy', message: "expected one of 'one_for_one', 'one_for_all', 'rest_for_one'; given \"one_for_none\"" },
    ]);
  });

  it('refuses a negative maxRestarts and a periodMs <= 0', () => {
    const issues = issuesOf({ maxRestarts: -1, periodMs: 0, children: [] });
    expect(issues.map((i) => i.path)).toEqual(['maxRestarts', 'periodMs']);
    expect(issues[0]!.message).toContain('given -1');
    expect(issues[1]!.message).toContain('given 0');
  });

  it('refuses duplicate ids and says which child used the id first', () => {
    expect(issuesOf({ children: [w('a'), w('b'), w('a')] })).toEqual([
      { path: 'children.2.id', message: 'expected a unique id; given "a", already used by children.0' },
    ]);
  });

  it('refuses backoff maxMs < initialMs and jitter outside 0..1', () => {
    const issues = issuesOf({ backoff: { initialMs: 100, maxMs: 10, jitter: 1.5 }, children: [] });
    expect(issues.map((i) => i.path).sort()).toEqual(['backoff.jitter', 'backoff.maxMs']);
  });

  it('refuses a significant permanent child', () => {
    expect(issuesOf({ autoShutdown: 'any_significant', children: [w('a', { significant: true })] })).toEqual([
      { path: 'children.0.significant', message: "expected a significant child to be 'transient' or 'temporary'; given restart 'permanent'" },
    ]);
  });

  it('refuses auto-shutdown without a significant child', () => {
    expect(issuesOf({ autoShutdown: 'all_significant', children: [w('a')] })[0]!.path).toBe('autoShutdown');
  });

  it('finds problems in nested supervisors and names their full path', () => {
    const issues = issuesOf({ children: [{ type: 'supervisor', id: 's', children: [w('x', { restart: 'sometimes', shutdown: -5 })] }] });
    expect(issues.map((i) => i.path)).toEqual(['children.0.children.0.restart', 'children.0.children.0.shutdown']);
    expect(issues[0]!.message).toBe("expected one of 'permanent', 'transient', 'temporary'; given \"sometimes\"");
  });

  it('refuses unknown keys and unknown child types', () => {
    expect(issuesOf({ children: [w('a', { restrat: 'transient' })] })).toEqual([{
      path: 'children.0',
      message: "expected only the keys type, id, restart, significant, shutdown, backoff, module, args, name, resourceLimits, env, execArgv, heartbeatMs, startTimeoutMs, callTimeoutMs, registeredName; given unknown key 'restrat' (did you mean 'restart'?)",
    }]);
    expect(issuesOf({ children: [{ type: 'actor', id: 'a' }] })[0]!.message).toContain("type 'worker', 'pool', 'supervisor' or 'dynamic_supervisor'");
  });

  it("refuses an id holding '/', which refs use to reach nested children", () => {
    expect(issuesOf({ children: [w('a/b')] })).toEqual([{ path: 'children.0.id', message: "expected an id without '/' (refs use '/' to reach nested children); given \"a/b\"" }]);
  });

  it('validates a single child spec for startChild with paths relative to it', () => {
    expect(() => parseChildSpec(w('', {}))).toThrow(/id: expected a non-empty string/);
  });
});
