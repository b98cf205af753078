// Churn: a called and monitored actor restarted over and over leaves nothing behind: no channel in the
// host's table, no link, served port or monitor in the caller's thread, no extra port or thread on main.
//
// A restart costs a thread spawn, about 100 ms on the 2 shared cores of CI (measured without any messaging
// too: the spawn is the cost), so `npm test` runs 100 restarts (~10 s). The 1000 run with
//   THREADVISOR_CHURN_RESTARTS=1000 node --experimental-vm-modules node_modules/jest/bin/jest.js test/messaging/leaks.test.ts
// (90 to 135 s depending on load; passed with the same assertions when this test was written).
import { describe, expect, it } from '@jest/globals';
import { openChannelCount } from '../../src/runtime/channels.js';
import { next, peer, useTrees } from './harness.js';

const start = useTrees();
const RESTARTS = Number(process.env.THREADVISOR_CHURN_RESTARTS ?? 100);
if (!Number.isInteger(RESTARTS) || RESTARTS < 1) throw new Error(`THREADVISOR_CHURN_RESTARTS must be a whole number >= 1; given ${process.env.THREADVISOR_CHURN_RESTARTS}`);

/** Counts of the main thread's live resources that messaging could leak (ports, threads, timers). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (type === 'MessagePort' || type === 'Worker' || type === 'Timeout') counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

describe('churn', () => {
  it(`leaks no port, listener, channel, monitor or thread over ${RESTARTS} restarts of a called actor`, async () => {
    const sup = await start({ maxRestarts: RESTARTS * 2, periodMs: 1000, children: [peer('a'), peer('b', { registeredName: 'bank' })] });
    const a = sup.ref('a');
    await a.call('relay', 'bank', 'add', [1]);
    const baseline = { resources: resources(), channels: openChannelCount() };
    expect(baseline.channels).toBe(1);
    for (let i = 0; i < RESTARTS; i++) {
      // Each incarnation is called (a channel is opened to it) and monitored, then crashes.
      await expect(a.call('relay', 'bank', 'add', [1])).resolves.toBe(i === 0 ? 2 : 1);
      await a.call('monitor', 'bank');
      const restarted = next(sup, 'child:restarted', (e) => e.id === 'b');
      sup.ref('bank').cast('crash');
      await restarted;
    }
    // Every channel went down with its callee; every monitor fired (its notice is handled before this call).
    expect(openChannelCount()).toBe(0);
    const downs = (await a.call('downs')) as unknown[];
    expect(downs).toHaveLength(RESTARTS);
    expect(await a.call('peerStats')).toEqual({ links: 0, channels: 0, served: 0, connecting: 0, monitors: 0 });
    await expect(a.call('relay', 'bank', 'whoami')).resolves.toEqual({ path: 'b', incarnation: RESTARTS + 1 });
    expect(openChannelCount()).toBe(1);
    expect(await sup.ref('bank').call('peerStats')).toEqual({ links: 0, channels: 0, served: 1, connecting: 0, monitors: 0 });
    expect(resources()).toEqual(baseline.resources);
  }, Math.max(60_000, RESTARTS * 500));
});
