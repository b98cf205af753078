// A nested supervisor's shutdown timeout is decided by the core, step by step: the effects below are
// all an interpreter (the shell, the simulator) gets to carry out.
import { step } from '../../src/core/machine.js';
import { createSupervisorState, type SupervisorState } from '../../src/core/state.js';
import type { Effect, SupervisorInput } from '../../src/core/events.js';
import type { Shutdown } from '../../src/core/child-spec.js';
import { parseSupervisorSpec } from '../../src/core/validate.js';
import { nestedSupervisorName, rootSupervisorName } from '../../src/core/naming.js';

/** A running root with a worker `a` and a nested supervisor `n` stopping within `shutdown`. */
function running(shutdown: Shutdown): SupervisorState {
  const spec = parseSupervisorSpec({
    children: [
      { type: 'worker', id: 'a', module: 'sim:a', shutdown: 300 },
      { type: 'supervisor', id: 'n', shutdown, children: [{ type: 'worker', id: 'x', module: 'sim:x' }] },
    ],
  });
  const state = createSupervisorState({ name: 'root', flags: spec, children: spec.children, random: () => 0 });
  for (const input of [{ type: 'init' }, { type: 'started', id: 'a' }, { type: 'started', id: 'n' }] as SupervisorInput[]) step(state, input, 0);
  return state;
}

/** The effects of one step, reports left out. */
const act = (state: SupervisorState, input: SupervisorInput, now: number): Effect[] => step(state, input, now).effects.filter((e) => e.type !== 'report');

describe("a nested supervisor's shutdown timeout, in the core", () => {
  it('arms a timer before asking the supervisor to stop, and kills it if it is still stopping when the timer fires', () => {
    const state = running(1000);
    const [schedule, stop] = act(state, { type: 'stop' }, 10);
    expect(schedule).toEqual({ type: 'schedule', key: expect.any(Number), delayMs: 1000 });
    expect(stop).toEqual({ type: 'stop', id: 'n', shutdown: 1000 });
    const key = (schedule as { key: number }).key;
    // The timer fires while the shutdown it guards runs: it is handled at once, not deferred behind it.
    expect(act(state, { type: 'timer', key }, 1010)).toEqual([{ type: 'kill', id: 'n', afterMs: 1000 }]);
    expect(act(state, { type: 'exited', id: 'n', reason: { kind: 'killed', afterMs: 1000 } }, 1010)).toEqual([{ type: 'stop', id: 'a', shutdown: 300 }]);
  });

  it('cancels the timer when the supervisor stops in time, and ignores the timer if it fires anyway', () => {
    const state = running(1000);
    const [schedule] = act(state, { type: 'stop' }, 10);
    const key = (schedule as { key: number }).key;
    expect(act(state, { type: 'exited', id: 'n', reason: { kind: 'shutdown' } }, 500)).toEqual([
      { type: 'cancel', key },
      { type: 'stop', id: 'a', shutdown: 300 },
    ]);
    expect(act(state, { type: 'timer', key }, 1010)).toEqual([]);
  });

  it('kills a brutal_kill (or 0 ms) supervisor at once, with no stop request and no timer', () => {
    for (const shutdown of ['brutal_kill', 0] as const) {
      expect(act(running(shutdown), { type: 'stop' }, 10)).toEqual([{ type: 'kill', id: 'n', afterMs: 0 }]);
    }
  });

  it("leaves a worker's timeout to its host, and arms nothing for an infinity supervisor", () => {
    const state = running('infinity');
    expect(act(state, { type: 'stop' }, 10)).toEqual([{ type: 'stop', id: 'n', shutdown: 'infinity' }]);
    expect(act(state, { type: 'exited', id: 'n', reason: { kind: 'shutdown' } }, 20)).toEqual([{ type: 'stop', id: 'a', shutdown: 300 }]);
  });
});

describe('supervisor names', () => {
  it("names a root by its spec, 'root' by default, and a nested one <parent name>/<id> unless its spec names it", () => {
    expect(rootSupervisorName({})).toBe('root');
    expect(rootSupervisorName({ name: 'api' })).toBe('api');
    expect(nestedSupervisorName('root', { id: 'jobs' })).toBe('root/jobs');
    expect(nestedSupervisorName('api/jobs', { id: 'mail' })).toBe('api/jobs/mail');
    expect(nestedSupervisorName('root', { id: 'mail', name: 'mailer' })).toBe('mailer');
  });
});
