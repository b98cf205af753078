/**
 * Which reports are crashes, read the same way by the crash reporter and the metrics: a child's abnormal
 * exit it was not asked for, a failed start, and an escalation (a supervisor giving up). Pure.
 */
import { isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import type { SerializedError } from '../protocol/serialized-error.js';
import type { DeliveredReport } from './delivered-report.js';
import { crashFingerprint, type FingerprintOptions } from './crash-fingerprint.js';

/** What kind of crash: a child died, a child could not start, or a supervisor gave up and escalated. */
export type CrashKind = 'crash' | 'start_failed' | 'escalation';

/** One crash, as read from a single report. */
export interface Crash {
  kind: CrashKind;
  /** The supervisor that saw it (`'root'`, `'root/jobs'`); for an escalation, the one that gave up. */
  supervisor: string;
  /** The child's id; for an escalation, the id of the supervisor that gave up (its name at the root). */
  child: string;
  /** The child's path from the root (`'jobs/w1'`); for an escalation of the root, `''`. */
  path: string;
  /** The worker's module, for a worker child. */
  module?: string;
  reason: ExitReason;
  /** The error the reason carries (name, message, the worker's stack), when it carries one. */
  error?: SerializedError;
  fingerprint: string;
}

/**
 * The crash a report stands for, or `null`. An escalation is read from the `supervisor_exited` of the
 * supervisor that gave up, and not again from its parent's `child_exited` (the same event, seen from
 * above), so each escalation counts once, the root's included.
 */
export function crashOf(delivered: DeliveredReport, options: FingerprintOptions = {}): Crash | null {
  const { supervisor, path, report: r } = delivered;
  if (r.type === 'supervisor_exited') {
    if (r.reason.kind !== 'max_intensity') return null;
    const child = path === '' ? supervisor : path.slice(path.lastIndexOf('/') + 1);
    return build('escalation', supervisor, child, path, undefined, r.reason, options);
  }
  if (r.type === 'pool_thread_exited') {
    // A pool's thread: its death is a crash of the pool child's code (a poison job's stack included).
    const childPath = path === '' ? r.id : `${path}/${r.id}`;
    return build('crash', supervisor, r.id, childPath, r.module, r.reason, options);
  }
  if (r.type === 'child_exited') {
    if (r.requested || isNormalExit(r.reason) || r.reason.kind === 'max_intensity') return null;
  } else if (r.type !== 'child_start_failed') {
    return null;
  }
  const childPath = path === '' ? r.id : `${path}/${r.id}`;
  const module = r.spec.type === 'worker' ? String(r.spec.module) : undefined;
  return build(r.type === 'child_exited' ? 'crash' : 'start_failed', supervisor, r.id, childPath, module, r.reason, options);
}

function build(kind: CrashKind, supervisor: string, child: string, path: string, module: string | undefined, reason: ExitReason, options: FingerprintOptions): Crash {
  const error = errorOf(reason);
  const fingerprint = crashFingerprint({
    kind: reason.kind,
    ...(reason.kind === 'exit' ? { code: reason.code } : {}),
    // Node's own out-of-memory error has no frame in user code: an OOM is told by its kind and module.
    ...(error === undefined || reason.kind === 'oom' ? {} : { error }),
    // The module, not the path: a dynamic supervisor's children get fresh ids, the bug stays the same.
    where: module ?? (path === '' ? supervisor : path),
  }, options);
  const crash: Crash = { kind, supervisor, child, path, reason, fingerprint };
  if (module !== undefined) crash.module = module;
  if (error !== undefined) crash.error = error;
  return crash;
}

function errorOf(reason: ExitReason): SerializedError | undefined {
  switch (reason.kind) {
    case 'error':
    case 'start_failed':
    case 'oom':
      return reason.error;
    default:
      return undefined;
  }
}
