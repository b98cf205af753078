// Thread faults seen from a supervisor: what a worker posted before it died still reaches its caller,
// and only then is the death reported and the child restarted.
import { describe, expect, it } from '@jest/globals';
import { fixture, run } from './worker-harness.js';

describe('a worker that replies and then crashes', () => {
  it('gets its reply to the caller, then the crash is reported and the child restarted', async () => {
    // A fresh process (see the script): there a death read before the queued reply loses it every time.
    const { stdout } = await run(fixture('reply-then-crash-main.mjs'), ['answerThenThrow', 'supervised']);
    expect(JSON.parse(stdout)).toEqual({
      reply: 'answered',
      reason: expect.objectContaining({ kind: 'error', error: expect.objectContaining({ message: 'after the reply' }) }),
      order: ['reply', 'exited'],
      after: 1,
    });
  });
});
