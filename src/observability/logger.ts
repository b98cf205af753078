import { pino, type Logger } from 'pino';
import { formatExitReason, isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import { revive } from '../errors.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';

/**
 * The default logger: pino at `warn`, so a quiet tree prints nothing while every crash report (error
 * level, with the worker's stack) still shows. Pass your own pino logger to change either.
 */
export function defaultLogger(): Logger {
  return pino({ name: 'threadvisor', level: 'warn' });
}

/** OTP's report contexts. */
export type ReportContext = 'progress' | 'child_terminated' | 'start_error' | 'shutdown' | 'shutdown_error';

/** Who a report is about, as OTP's `offender`. */
export interface Offender {
  id: string;
  type: 'worker' | 'supervisor';
  restart: string;
  shutdown: number | string;
  threadId?: number;
  module?: string;
}

/** Builds the `offender` of a report from a child's spec. */
export function offender(spec: NormalizedChildSpec, threadId?: number): Offender {
  const o: Offender = { id: spec.id, type: spec.type, restart: spec.restart, shutdown: spec.shutdown };
  if (threadId !== undefined) o.threadId = threadId;
  if (spec.type === 'worker') o.module = String(spec.module);
  return o;
}

/**
 * Writes one supervisor report shaped like OTP's (`{supervisor, context, reason, offender}`). Abnormal
 * exits go out at error level with the worker's own error (stack included) under `err`. `extra` fields
 * (a restart's count and cause) go at the top level of the record.
 */
export function logReport(
  logger: Logger, supervisor: string, context: ReportContext, reason: ExitReason | null, who: Offender | null, message: string,
  extra?: Record<string, unknown>,
): void {
  const record: Record<string, unknown> = { supervisor, context, ...extra };
  if (reason !== null) record.reason = formatExitReason(reason);
  if (who !== null) record.offender = who;
  const err = reason && (reason.kind === 'error' || reason.kind === 'start_failed' || reason.kind === 'oom') ? reason.error : undefined;
  if (err !== undefined) record.err = revive(err);
  if (context === 'progress') logger.info(record, message);
  else if (reason !== null && isNormalExit(reason) && context !== 'shutdown') logger.info(record, message);
  else logger.error(record, message);
}
