import type { SerializedError } from './serialized-error.js';

/**
 * Why a child (worker actor or supervisor) stopped running, as data. Mirrors OTP's exit reasons:
 * `normal`, `shutdown` and `{shutdown, detail}` are normal exits; every other kind is abnormal.
 */
export type ExitReason =
  /** The child ended itself on purpose, or its thread called `process.exit(0)`. */
  | { kind: 'normal' }
  /** The child was asked to stop (by its supervisor, or itself with a detail: OTP's `{shutdown, Detail}`). */
  | { kind: 'shutdown'; detail?: unknown }
  /** An uncaught exception or unhandled rejection in the child; carries the worker's own error and stack. */
  | { kind: 'error'; error: SerializedError }
  /** The thread called `process.exit(code)` with a non-zero code. */
  | { kind: 'exit'; code: number }
  /** The thread's heap hit its `resourceLimits` and Node ended the thread (a stack overflow is an `error`). */
  | { kind: 'oom'; error?: SerializedError }
  /** The thread stopped answering heartbeats (a blocked event loop) and was terminated. */
  | { kind: 'hung'; missedMs: number }
  /** The thread was terminated: `brutal_kill`, or it outlived its shutdown timeout. */
  | { kind: 'killed'; afterMs?: number }
  /** The child could not be started (module failed to load, no worker export, `init` threw). */
  | { kind: 'start_failed'; error: SerializedError }
  /** A child supervisor exceeded its restart intensity and gave up (escalation). */
  | { kind: 'max_intensity'; supervisor: string; maxRestarts: number; periodMs: number; lastReason?: ExitReason };

/** The kind tag of an {@link ExitReason}. */
export type ExitReasonKind = ExitReason['kind'];

/** Every exit-reason kind, for validation and exhaustive tables. */
export const EXIT_REASON_KINDS: readonly ExitReasonKind[] = [
  'normal', 'shutdown', 'error', 'exit', 'oom', 'hung', 'killed', 'start_failed', 'max_intensity',
];

/** `true` for OTP's normal exits: `normal`, `shutdown` and `{shutdown, detail}`. */
export function isNormalExit(reason: ExitReason): boolean {
  return reason.kind === 'normal' || reason.kind === 'shutdown';
}

/** Renders a reason on one line, for logs and error messages. */
export function formatExitReason(reason: ExitReason): string {
  switch (reason.kind) {
    case 'normal':
      return 'normal';
    case 'shutdown':
      return reason.detail === undefined ? 'shutdown' : `{shutdown, ${safeJson(reason.detail)}}`;
    case 'error':
      return `error: ${reason.error.name}: ${reason.error.message}`;
    case 'exit':
      return `exit(${reason.code})`;
    case 'oom':
      return reason.error ? `oom: ${reason.error.message}` : 'oom';
    case 'hung':
      return `hung (no heartbeat for ${Math.round(reason.missedMs)} ms)`;
    case 'killed':
      return reason.afterMs === undefined ? 'killed' : `killed (after ${reason.afterMs} ms)`;
    case 'start_failed':
      return `start_failed: ${reason.error.name}: ${reason.error.message}`;
    case 'max_intensity':
      return `max_intensity: ${reason.supervisor} made more than ${reason.maxRestarts} restarts in ${reason.periodMs} ms`;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Details are user data and may hold cycles; a lossy rendering beats a log line that throws.
    return String(value);
  }
}
