/**
 * Turns the ways Node reports a dead thread into exit reasons: an `'error'` event (uncaught exception,
 * unhandled rejection, or resource limits), and the `'exit'` code when nothing said more.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import { serializeError } from '../protocol/serialized-error.js';

/** The reason behind a Worker `'error'` event: `oom` for resource limits, `error` otherwise. */
export function reasonFromError(error: unknown): ExitReason {
  const serialized = serializeError(error);
  // Node reports every resourceLimits breach (heap, young generation, code range) with this code.
  if (serialized.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'oom', error: serialized };
  return { kind: 'error', error: serialized };
}

/** The reason behind a bare `'exit'`: `process.exit(0)` (or an empty event loop) is normal, any other code is not. */
export function reasonFromExitCode(code: number): ExitReason {
  return code === 0 ? { kind: 'normal' } : { kind: 'exit', code };
}
