import { restartDecision } from '../../src/core/restart-decision.js';
import { EXIT_REASON_KINDS, isNormalExit, type ExitReason } from '../../src/protocol/exit-reason.js';

const reasons: Record<string, ExitReason> = {
  normal: { kind: 'normal' },
  shutdown: { kind: 'shutdown' },
  shutdown_detail: { kind: 'shutdown', detail: { why: 'done' } },
  error: { kind: 'error', error: { name: 'Error', message: 'x' } },
  exit: { kind: 'exit', code: 3 },
  oom: { kind: 'oom' },
  hung: { kind: 'hung', missedMs: 2000 },
  killed: { kind: 'killed' },
  start_failed: { kind: 'start_failed', error: { name: 'Error', message: 'x' } },
  max_intensity: { kind: 'max_intensity', supervisor: 's', maxRestarts: 1, periodMs: 1 },
};

describe('the restart decision (restart type x exit reason)', () => {
  it('covers every exit reason kind', () => {
    expect(new Set(Object.values(reasons).map((r) => r.kind))).toEqual(new Set(EXIT_REASON_KINDS));
  });

  it.each(Object.entries(reasons))('restarts a permanent child after %s', (_, reason) => {
    expect(restartDecision('permanent', reason)).toBe('restart');
  });

  it.each(Object.entries(reasons))('restarts a transient child after %s only if it is abnormal', (_, reason) => {
    expect(restartDecision('transient', reason)).toBe(isNormalExit(reason) ? 'keep_stopped' : 'restart');
  });

  it.each(Object.entries(reasons))('removes a temporary child after %s', (_, reason) => {
    expect(restartDecision('temporary', reason)).toBe('remove');
  });

  it('treats exactly normal, shutdown and {shutdown, detail} as normal', () => {
    const normal = Object.entries(reasons).filter(([, r]) => isNormalExit(r)).map(([k]) => k);
    expect(normal).toEqual(['normal', 'shutdown', 'shutdown_detail']);
  });
});
