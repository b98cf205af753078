// The adapter table keeps the "a start never rejects" contract for every kind of child, so a broken
// adapter is a failed start the core can decide on, not a start result that never comes.
import { startLiveChild } from '../../src/supervisor/starters.js';
import type { StartContext } from '../../src/supervisor/live-child.js';
import type { NormalizedChildSpec } from '../../src/core/child-spec.js';

const context = {} as StartContext;

describe('starting a child through its adapter', () => {
  it('turns an adapter that throws into a failed start carrying the error', async () => {
    const spec = { type: 'supervisor', id: 's', children: [], strategy: 'one_for_one' } as unknown as NormalizedChildSpec;
    // The context lacks `nest`: the supervisor adapter throws a TypeError as it builds the process.
    const outcome = await startLiveChild(spec, context);
    expect(outcome).toMatchObject({ status: 'failed', error: { name: 'TypeError' } });
  });

  it('turns a kind with no adapter into a failed start, not a throw', async () => {
    const outcome = await startLiveChild({ type: 'pool', id: 'p' } as unknown as NormalizedChildSpec, context);
    expect(outcome).toMatchObject({ status: 'failed', error: { name: 'TypeError' } });
  });
});
