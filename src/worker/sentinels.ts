/**
 * The values a worker's functions return to steer their actor: `ignore()` from `init`, `stop()` from a
 * handler. Values rather than callbacks so they work the same from sync and async handlers, and so the
 * typed references can see a `stop(reason, reply)`'s reply type.
 */
import { render } from '../options/render.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { Ignore, StopReason, StopSignal } from '../protocol/worker-definition.js';

const IGNORE: Ignore = Object.freeze({ $threadvisor: 'ignore' });

/**
 * Return it from `init` to decline to start (OTP's `ignore`): the thread ends, nothing is restarted,
 * and a supervisor keeps the child's spec (a standalone `startWorker` rejects with `StartIgnoredError`).
 *
 * @example
 * ```ts
 * export default defineWorker({
 *   init: (args: { enabled: boolean }) => (args.enabled ? { hits: 0 } : ignore()),
 * });
 * ```
 */
export function ignore(): Ignore {
  return IGNORE;
}

/**
 * Return it from a call or cast handler to end the actor on purpose (OTP's `{stop, Reason, Reply, State}`):
 * a call still gets `reply`, then `terminate(state, reason)` runs and the actor exits with `reason`.
 * Messages queued behind it are not handled; their calls reject with `ActorStoppedError`.
 *
 * @param reason `'normal'` (the default), `'shutdown'` or `{ shutdown: detail }`: all normal exits.
 * @param reply What the call resolves to (ignored for a cast).
 * @example
 * ```ts
 * calls: { drain: (s) => stop({ shutdown: 'drained' }, s.pending.length) }
 * ```
 */
export function stop<R = undefined>(reason: StopReason = 'normal', reply?: R): StopSignal<R> {
  return { $threadvisor: 'stop', reason: toExitReason(reason), reply: reply as R };
}

/** `true` for the value of `ignore()` (from this or another copy of the package). */
export function isIgnore(value: unknown): value is Ignore {
  return typeof value === 'object' && value !== null && (value as { $threadvisor?: unknown }).$threadvisor === 'ignore';
}

/** `true` for a value made by `stop()`. */
export function isStopSignal(value: unknown): value is StopSignal<unknown> {
  return typeof value === 'object' && value !== null && (value as { $threadvisor?: unknown }).$threadvisor === 'stop';
}

function toExitReason(reason: StopReason): ExitReason {
  if (reason === 'normal') return { kind: 'normal' };
  if (reason === 'shutdown') return { kind: 'shutdown' };
  if (typeof reason === 'object' && reason !== null && 'shutdown' in reason) return { kind: 'shutdown', detail: reason.shutdown };
  throw new TypeError(`stop(reason): expected 'normal', 'shutdown' or { shutdown: detail }; given ${render(reason)}`);
}
