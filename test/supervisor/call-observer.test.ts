import type { CallObservation } from '../../src/observability/call-observer.js';
import { setup, started, stopAll, w } from './harness.js';

describe('the observeCall start option (simulated host)', () => {
  it('sees each settled call through a ref with its path, method, duration on the tree clock and outcome', async () => {
    const env = setup();
    const seen: CallObservation[] = [];
    const sup = await started({ children: [w('a')] }, env, { observeCall: (c) => void seen.push(c) });
    const ref = sup.ref('a');
    expect(await env.drive(ref.call('add', 2))).toBe(2);
    await expect(env.drive(sup.ref('nobody').call('get'))).rejects.toMatchObject({ code: 'ERR_CHILD_UNAVAILABLE' });
    expect(seen).toEqual([
      { supervisor: 'root', path: 'a', method: 'add', durationMs: expect.any(Number), outcome: 'ok' },
      { supervisor: 'root', path: 'nobody', method: 'get', durationMs: 0, outcome: 'ERR_CHILD_UNAVAILABLE' },
    ]);
    await stopAll(sup, env);
  });

  it('contains an observer that throws: logged, and the call keeps its own outcome', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env, { observeCall: () => { throw new Error('observer bug'); } });
    expect(await env.drive(sup.ref('a').call('add', 5))).toBe(5);
    expect(env.records.find((r) => r.context === 'listener_error')).toMatchObject({ level: 50, event: 'observeCall', err: { message: 'observer bug' } });
    await stopAll(sup, env);
  });
});
