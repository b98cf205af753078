// The one decision of which exit code ends a daemon, table by table: every end, and what outranks what.
import { describe, expect, it } from '@jest/globals';
import { EXIT_CODES, exitCodeFor, type DaemonEnd, type ExitReason } from '../../src/index.js';

const maxIntensity: ExitReason = { kind: 'max_intensity', supervisor: 'root', maxRestarts: 0, periodMs: 5000, lastReason: { kind: 'exit', code: 3 } };

describe('exitCodeFor', () => {
  it.each<[string, DaemonEnd, number]>([
    ['an orderly stop after a signal', { kind: 'stopped', deadlineExceeded: false }, 0],
    ['a stop that overran the deadline', { kind: 'stopped', deadlineExceeded: true }, 124],
    ['a tree that could not start', { kind: 'start_failed' }, 1],
    ['a root that gave up', { kind: 'exited', reason: maxIntensity }, 69],
    ['a root killed from outside the daemon', { kind: 'exited', reason: { kind: 'killed' } }, 69],
    ['a root that ended by auto-shutdown or a stop() of the application', { kind: 'exited', reason: { kind: 'shutdown' } }, 0],
    ['a root that ended normally', { kind: 'exited', reason: { kind: 'normal' } }, 0],
    ['a fatal error whose shutdown ended in time', { kind: 'fatal', deadlineExceeded: false }, 70],
    ['a second SIGTERM', { kind: 'forced', signal: 'SIGTERM' }, 143],
    ['a second SIGINT', { kind: 'forced', signal: 'SIGINT' }, 130],
  ])('gives %s the code %i', (_what, end, code) => {
    expect(exitCodeFor(end)).toBe(code);
  });

  it('lets a fatal error outrank an overrun deadline: the cause is what an operator needs', () => {
    expect(exitCodeFor({ kind: 'fatal', deadlineExceeded: true })).toBe(EXIT_CODES.fatal);
  });

  it('gives every abnormal root exit the escalation code, and every normal one 0', () => {
    const abnormal: ExitReason[] = [
      maxIntensity,
      { kind: 'error', error: { name: 'Error', message: 'x' } },
      { kind: 'exit', code: 1 },
      { kind: 'oom' },
      { kind: 'hung', missedMs: 3000 },
      { kind: 'start_failed', error: { name: 'Error', message: 'x' } },
    ];
    for (const reason of abnormal) expect(exitCodeFor({ kind: 'exited', reason })).toBe(EXIT_CODES.escalated);
    expect(exitCodeFor({ kind: 'exited', reason: { kind: 'shutdown', detail: 'auto' } })).toBe(EXIT_CODES.ok);
  });

  it('uses distinct codes, none that a shell reserves (2, 126, 127) or above 128 but the forced exits', () => {
    const { forcedBase, ...codes } = EXIT_CODES;
    const values = Object.values(codes);
    expect(new Set(values).size).toBe(values.length);
    for (const code of values) {
      expect([2, 126, 127]).not.toContain(code);
      expect(code).toBeLessThan(126);
    }
    expect(forcedBase).toBe(128);
  });
});
