// A user's random source is called inside a restart decision: a throw or a value outside [0, 1) must
// neither crash the supervisor's mailbox (which kills the subtree) nor go unnoticed.
import { setup, started, stopAll, w } from './harness.js';

describe('an injected random source', () => {
  const backoff = { initialMs: 100, maxMs: 1000, jitter: 0.5 };

  it.each([
    ['throws', () => { throw new Error('rand boom'); }],
    ['returns NaN', () => NaN],
    ['returns 5', () => 5],
  ])('that %s is logged and replaced for that decision; the child restarts and the tree keeps running', async (_what, random) => {
    const env = setup();
    const sup = await started({ backoff, children: [w('a')] }, env, { random });
    env.host.current('sim:a')!.crash();
    await env.clock.advance(2000);
    expect(sup.whichChildren()).toEqual([expect.objectContaining({ id: 'a', status: 'running' })]);
    expect(sup.tree().phase).toBe('running');
    expect(env.records.filter((r) => r.context === 'random_error')).toHaveLength(1);
    expect(env.records.some((r) => r.context === 'internal_error')).toBe(false);
    await stopAll(sup, env);
  });

  it('that behaves is used as given (no log)', async () => {
    const env = setup();
    const sup = await started({ backoff, children: [w('a')] }, env, { random: () => 0.5 });
    env.host.current('sim:a')!.crash();
    await env.clock.advance(2000);
    expect(sup.whichChildren()[0]).toMatchObject({ status: 'running' });
    expect(env.records.some((r) => r.context === 'random_error')).toBe(false);
    await stopAll(sup, env);
  });
});
