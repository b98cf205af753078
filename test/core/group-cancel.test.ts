// terminateChild on a member of a restart group that waits (for its backoff, or to retry a failed start)
// cancels the whole group's restart (issue 8, fault 8.8). Driven through `step` directly: pure inputs in,
// effects out, so each case shows exactly what the core decides.
import { step } from '../../src/core/machine.js';
import { createSupervisorState, type SupervisorState } from '../../src/core/state.js';
import { parseSupervisorSpec } from '../../src/core/validate.js';
import type { Effect, Report } from '../../src/core/events.js';
import type { ExitReason } from '../../src/protocol/exit-reason.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import { w } from '../helpers/trace.js';

const crash: ExitReason = { kind: 'error', error: { name: 'Error', message: 'boom' } };
const killed: ExitReason = { kind: 'killed', afterMs: 0 };
const backoff = { initialMs: 1000, maxMs: 1000 };

/** A supervisor whose children all started at t=0. */
function running(spec: SupervisorSpec, options: { dynamic?: boolean } = {}): SupervisorState {
  const parsed = parseSupervisorSpec(spec);
  const s = createSupervisorState({ name: 'root', flags: parsed, children: parsed.children, random: () => 0, dynamic: options.dynamic ? { maxChildren: 9 } : null });
  step(s, { type: 'init' }, 0);
  for (const id of [...s.children.order]) step(s, { type: 'started', id }, 0);
  return s;
}

/** Feeds an input and answers every stop effect at once with `killed` (brutal_kill), in order. */
function feed(s: SupervisorState, input: Parameters<typeof step>[1], now: number): Effect[] {
  const all: Effect[] = [];
  const queue = step(s, input, now).effects;
  while (queue.length > 0) {
    const fx = queue.shift()!;
    all.push(fx);
    if (fx.type === 'stop') queue.push(...step(s, { type: 'exited', id: fx.id, reason: killed }, now).effects);
  }
  return all;
}

const reports = (fx: Effect[]): Report[] => fx.flatMap((e) => (e.type === 'report' ? [e.report] : []));
const statuses = (s: SupervisorState) => s.children.order.map((id) => `${id}:${s.children.get(id)!.status}`);
const scheduled = (fx: Effect[]) => fx.flatMap((e) => (e.type === 'schedule' ? [e.key] : []));
const terminate = (s: SupervisorState, id: string, now: number) => feed(s, { type: 'terminate_child', request: 1, id }, now);

describe('terminateChild on a member of a waiting restart group cancels the whole group', () => {
  const abc = [w('a', { shutdown: 'brutal_kill' }), w('b', { shutdown: 'brutal_kill' }), w('c', { shutdown: 'brutal_kill' })];

  it.each(['rest_for_one', 'one_for_all'] as const)('%s: every member goes to stopped, the timer is cancelled, one report lists them all', (strategy) => {
    const s = running({ strategy, backoff, children: abc });
    const key = scheduled(feed(s, { type: 'exited', id: 'b', reason: crash }, 0))[0]!;
    const group = strategy === 'rest_for_one' ? ['b', 'c'] : ['a', 'b', 'c'];
    expect(s.groups.map((g) => g.ids)).toEqual([group]);
    const fx = terminate(s, 'b', 200);
    expect(fx).toContainEqual({ type: 'cancel', key });
    expect(reports(fx).filter((r) => r.type === 'restart_cancelled')).toEqual([{ type: 'restart_cancelled', children: group }]);
    expect(fx).toContainEqual({ type: 'reply', request: 1, result: { ok: true } });
    expect(s.groups).toEqual([]);
    expect(statuses(s)).toEqual(strategy === 'rest_for_one' ? ['a:running', 'b:stopped', 'c:stopped'] : ['a:stopped', 'b:stopped', 'c:stopped']);
    for (const id of group) expect(s.children.get(id)!.dueAt).toBeUndefined();
    // The stale timer, should the host deliver it anyway, starts nothing.
    expect(feed(s, { type: 'timer', key }, 1000).filter((e) => e.type === 'start')).toEqual([]);
  });

  it('cancels the group through any member, not only the one that crashed, and leaves the earlier report alone', () => {
    const s = running({ strategy: 'rest_for_one', backoff, children: abc });
    const decided = reports(feed(s, { type: 'exited', id: 'b', reason: crash }, 0)).find((r) => r.type === 'restart_scheduled')!;
    const fx = terminate(s, 'c', 200);
    // A report already delivered is history: listeners and traces keep it by reference.
    expect(decided).toMatchObject({ children: ['b', 'c'] });
    expect(reports(fx).filter((r) => r.type === 'restart_cancelled')).toEqual([{ type: 'restart_cancelled', children: ['b', 'c'] }]);
    expect(statuses(s)).toEqual(['a:running', 'b:stopped', 'c:stopped']);
  });

  it('cancels a group waiting to retry a failed start, as OTP drops try_again_restart', () => {
    const s = running({ strategy: 'rest_for_one', children: abc });
    // No backoff: b restarts at once, its start fails, and the retry [b, c] waits for its timer.
    feed(s, { type: 'exited', id: 'b', reason: crash }, 0);
    const fx = feed(s, { type: 'start_failed', id: 'b', reason: { kind: 'start_failed', error: { name: 'Error', message: 'no' } } }, 0);
    const key = scheduled(fx)[0]!;
    expect(s.groups.map((g) => g.ids)).toEqual([['b', 'c']]);
    const cancelled = terminate(s, 'b', 0);
    expect(cancelled).toContainEqual({ type: 'cancel', key });
    expect(statuses(s)).toEqual(['a:running', 'b:stopped', 'c:stopped']);
    expect(feed(s, { type: 'timer', key }, 0).filter((e) => e.type === 'start')).toEqual([]);
  });

  it('cancels a merged group whole: it is one group now', () => {
    const s = running({ strategy: 'rest_for_one', backoff, children: [...abc, w('d', { shutdown: 'brutal_kill' })] });
    feed(s, { type: 'exited', id: 'c', reason: crash }, 0); // [c, d] waits
    feed(s, { type: 'exited', id: 'b', reason: crash }, 10); // [b, c, d]: merged with it
    expect(s.groups.map((g) => g.ids)).toEqual([['b', 'c', 'd']]);
    const fx = terminate(s, 'd', 20);
    expect(reports(fx).filter((r) => r.type === 'restart_cancelled')).toEqual([{ type: 'restart_cancelled', children: ['b', 'c', 'd'] }]);
    expect(statuses(s)).toEqual(['a:running', 'b:stopped', 'c:stopped', 'd:stopped']);
  });

  it('one_for_one: a group of one, the other waiting children keep their own restarts', () => {
    const s = running({ backoff, children: abc });
    feed(s, { type: 'exited', id: 'a', reason: crash }, 0);
    feed(s, { type: 'exited', id: 'b', reason: crash }, 0);
    const fx = terminate(s, 'b', 200);
    expect(reports(fx).filter((r) => r.type === 'restart_cancelled')).toEqual([{ type: 'restart_cancelled', children: ['b'] }]);
    expect(statuses(s)).toEqual(['a:restarting', 'b:stopped', 'c:running']);
    expect(s.groups.map((g) => g.ids)).toEqual([['a']]);
  });

  it('keeps the other members stopped with their specs: restartChild starts each one alone', () => {
    const s = running({ strategy: 'rest_for_one', backoff, children: abc });
    feed(s, { type: 'exited', id: 'b', reason: crash }, 0);
    terminate(s, 'b', 200);
    const fx = feed(s, { type: 'restart_child', request: 2, id: 'c' }, 300);
    expect(fx.filter((e) => e.type === 'start').map((e) => (e as { id: string }).id)).toEqual(['c']);
    feed(s, { type: 'started', id: 'c' }, 300);
    expect(statuses(s)).toEqual(['a:running', 'b:stopped', 'c:running']);
  });

  it('removes only the terminated child of a dynamic supervisor (its groups are of one)', () => {
    const s = running({ backoff, children: abc }, { dynamic: true });
    feed(s, { type: 'exited', id: 'b', reason: crash }, 0);
    const fx = terminate(s, 'b', 200);
    expect(reports(fx).map((r) => r.type)).toEqual(['restart_cancelled', 'child_removed']);
    expect(statuses(s)).toEqual(['a:running', 'c:running']);
  });

  it('never triggers auto-shutdown, even when the cancelled group held every significant child', () => {
    const sig = { restart: 'transient', significant: true, shutdown: 'brutal_kill' };
    const s = running({ strategy: 'rest_for_one', autoShutdown: 'all_significant', backoff, children: [w('a'), w('b', sig), w('c', sig)] });
    feed(s, { type: 'exited', id: 'b', reason: crash }, 0);
    const fx = terminate(s, 'b', 200);
    expect(fx.some((e) => e.type === 'exit')).toBe(false);
    expect(s.phase).toBe('running');
    expect(statuses(s)).toEqual(['a:running', 'b:stopped', 'c:stopped']);
  });
});
