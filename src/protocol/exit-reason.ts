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

/**
 * What is wrong with a value handed in as an {@link ExitReason}, as data: where (`path`, relative to the
 * value; `''` for the value itself, `'code'`, `'lastReason.kind'`) and what is accepted there. The caller
 * adds what was given with the one renderer (`options/`), which the protocol may not import.
 */
export interface ExitReasonProblem {
  /** Dotted path inside the value; `''` for the value itself. */
  path: string;
  /** What is accepted there, starting with "expected". */
  expected: string;
}

const SERIALIZED_ERROR = 'a serialized error { name: string, message: string }';
const NUMBER_MS = 'a number of ms >= 0';
/** The fields each kind may carry beside `kind`, with a check for each; a field not listed is refused. */
const FIELDS: { readonly [K in ExitReasonKind]: Readonly<Record<string, { required: boolean; expected: string; ok: (v: unknown) => boolean }>> } = {
  normal: {},
  shutdown: { detail: { required: false, expected: 'anything', ok: () => true } },
  error: { error: { required: true, expected: SERIALIZED_ERROR, ok: isSerializedError } },
  exit: { code: { required: true, expected: 'an integer exit code', ok: (v) => Number.isInteger(v) } },
  oom: { error: { required: false, expected: SERIALIZED_ERROR, ok: isSerializedError } },
  hung: { missedMs: { required: true, expected: NUMBER_MS, ok: isMs } },
  killed: { afterMs: { required: false, expected: NUMBER_MS, ok: isMs } },
  start_failed: { error: { required: true, expected: SERIALIZED_ERROR, ok: isSerializedError } },
  max_intensity: {
    supervisor: { required: true, expected: 'a string', ok: (v) => typeof v === 'string' },
    maxRestarts: { required: true, expected: 'a whole number >= 0', ok: (v) => Number.isInteger(v) && (v as number) >= 0 },
    periodMs: { required: true, expected: NUMBER_MS, ok: isMs },
    // Checked on its own below (recursively), so its problem names its own inner path.
    lastReason: { required: false, expected: 'an exit reason', ok: () => true },
  },
};

/**
 * Checks a value handed in as an exit reason (`stop(reason)`): a plain object whose `kind` is one of
 * {@link EXIT_REASON_KINDS}, with that kind's fields and no others. `null` when it is one.
 *
 * @example
 * exitReasonProblem({ kind: 'shutdown' })   // null
 * exitReasonProblem('shutdown')             // { path: '', expected: "expected an exit reason such as { kind: 'shutdown' } ..." }
 * exitReasonProblem({ kind: 'exit' })       // { path: 'code', expected: 'expected an integer exit code' }
 */
export function exitReasonProblem(value: unknown): ExitReasonProblem | null {
  try {
    return problemAt(value, 0);
  } catch {
    // A Proxy or a getter that throws is not data that can cross a thread boundary.
    return { path: '', expected: SHAPE };
  }
}

const SHAPE = `expected an exit reason such as { kind: 'shutdown' } or { kind: 'shutdown', detail }: an object whose kind is one of ${EXIT_REASON_KINDS.join(', ')}`;

function problemAt(value: unknown, depth: number): ExitReasonProblem | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { path: '', expected: SHAPE };
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(EXIT_REASON_KINDS as readonly string[]).includes(kind)) {
    return { path: 'kind', expected: `expected one of ${EXIT_REASON_KINDS.map((k) => `'${k}'`).join(', ')}` };
  }
  const fields = FIELDS[kind as ExitReasonKind];
  for (const key of Object.keys(record)) {
    if (key !== 'kind' && !Object.hasOwn(fields, key)) {
      const known = Object.keys(fields);
      return { path: key, expected: `expected ${known.length === 0 ? `no field but kind in a '${kind}' reason` : `only the fields kind, ${known.join(', ')} in a '${kind}' reason`}` };
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    const v = record[key];
    if (v === undefined) {
      if (field.required) return { path: key, expected: `expected ${field.expected}` };
      continue;
    }
    if (!field.ok(v)) return { path: key, expected: `expected ${field.expected}` };
  }
  if (kind === 'max_intensity' && record.lastReason !== undefined) {
    // A cyclic or absurdly deep chain is refused rather than walked forever.
    if (depth >= 16) return { path: 'lastReason', expected: 'expected an exit reason chain at most 16 deep' };
    const inner = problemAt(record.lastReason, depth + 1);
    if (inner !== null) return { path: inner.path === '' ? 'lastReason' : `lastReason.${inner.path}`, expected: inner.expected };
  }
  return null;
}

function isSerializedError(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as { name?: unknown; message?: unknown };
  return typeof e.name === 'string' && typeof e.message === 'string';
}

function isMs(v: unknown): boolean {
  return typeof v === 'number' && v >= 0 && !Number.isNaN(v);
}
