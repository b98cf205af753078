import { step } from '../../src/core/machine.js';
import { decideRequest } from '../../src/core/management.js';
import { createSupervisorState, type SupervisorState } from '../../src/core/state.js';
import { parseSupervisorSpec } from '../../src/core/validate.js';
import { w } from '../helpers/trace.js';

/** A running supervisor: `a` and `t` run, `b` waits for a restart, `c` exited normally (kept stopped; removed if dynamic). */
function running(options: { dynamic?: boolean } = {}): SupervisorState {
  const spec = parseSupervisorSpec({ backoff: { initialMs: 100, maxMs: 100 }, children: [w('a'), w('b'), w('c', { restart: 'transient' }), w('t', { restart: 'temporary' })] });
  const s = createSupervisorState({ name: 'root', flags: spec, children: spec.children, random: () => 0, dynamic: options.dynamic ? { maxChildren: 3 } : null });
  step(s, { type: 'init' }, 0);
  for (const id of ['a', 'b', 'c', 't']) step(s, { type: 'started', id }, 0);
  step(s, { type: 'exited', id: 'b', reason: { kind: 'error', error: { name: 'Error', message: 'x' } } }, 1);
  step(s, { type: 'exited', id: 'c', reason: { kind: 'normal' } }, 2);
  return s;
}

describe('management decisions (pure: the state is read, never changed)', () => {
  it('decides each OTP request from the state alone', () => {
    const s = running();
    const before = JSON.stringify({ order: s.children.order, records: [...s.children.byId], groups: s.groups, phase: s.phase });
    const decide = (input: Parameters<typeof decideRequest>[1]) => decideRequest(s, input);
    expect(decide({ type: 'start_child', request: 1, spec: s.children.get('a')!.spec })).toEqual({ kind: 'reply', result: { ok: false, error: 'already_present' } });
    const fresh = { ...s.children.get('a')!.spec, id: 'n' };
    expect(decide({ type: 'start_child', request: 1, spec: fresh })).toEqual({ kind: 'start', op: 'start_child', id: 'n', add: fresh });
    expect(decide({ type: 'terminate_child', request: 1, id: 'zz' })).toEqual({ kind: 'reply', result: { ok: false, error: 'not_found' } });
    expect(decide({ type: 'terminate_child', request: 1, id: 'a' })).toEqual({ kind: 'stop', id: 'a' });
    expect(decide({ type: 'terminate_child', request: 1, id: 'b' })).toEqual({ kind: 'settle', id: 'b', cancelRestart: true, remove: false });
    expect(decide({ type: 'terminate_child', request: 1, id: 'c' })).toEqual({ kind: 'settle', id: 'c', cancelRestart: false, remove: false });
    expect(decide({ type: 'restart_child', request: 1, id: 'a' })).toEqual({ kind: 'reply', result: { ok: false, error: 'running' } });
    expect(decide({ type: 'restart_child', request: 1, id: 'b' })).toEqual({ kind: 'reply', result: { ok: false, error: 'restarting' } });
    expect(decide({ type: 'restart_child', request: 1, id: 'c' })).toEqual({ kind: 'start', op: 'restart_child', id: 'c' });
    expect(decide({ type: 'delete_child', request: 1, id: 'a' })).toEqual({ kind: 'reply', result: { ok: false, error: 'running' } });
    expect(decide({ type: 'delete_child', request: 1, id: 'c' })).toEqual({ kind: 'settle', id: 'c', cancelRestart: false, remove: true });
    expect(JSON.stringify({ order: s.children.order, records: [...s.children.byId], groups: s.groups, phase: s.phase })).toBe(before);
  });

  it('removes what a dynamic supervisor terminates, refuses past maxChildren, and answers stopped once not running', () => {
    const s = running({ dynamic: true });
    expect(decideRequest(s, { type: 'terminate_child', request: 1, id: 'b' })).toEqual({ kind: 'settle', id: 'b', cancelRestart: true, remove: true });
    expect(decideRequest(s, { type: 'start_child', request: 1, spec: { ...s.children.get('a')!.spec, id: 'n' } })).toEqual({ kind: 'reply', result: { ok: false, error: 'max_children' } });
    step(s, { type: 'stop' }, 3);
    expect(decideRequest(s, { type: 'delete_child', request: 1, id: 'c' })).toEqual({ kind: 'reply', result: { ok: false, error: 'stopped' } });
  });
});
