/**
 * The one wire format between a host (main thread) and the threadvisor runtime inside a worker thread.
 *
 * Messages are small arrays whose first element is an opcode: structured clone copies an array of
 * primitives faster than an object with named keys (measured: about 1.4x more pipelined round trips per
 * second), and the call path is the hot path. Messages are posted one at a time, when they happen: a
 * batch flushed later would clone arguments (or replies) after the caller (or the next handler) may have
 * changed them. Every message aimed at or coming from an actor carries the actor's id, so one thread can
 * later host many actors; thread-level messages (load, heartbeat) carry none.
 */
import type { ActorSelf } from './actor-context.js';
import type { ExitReason } from './exit-reason.js';
import type { SerializedError } from './serialized-error.js';

/**
 * Host to thread: start actor `actor` by running the definition's `init(args, ctx)`; `self` is its
 * identity, which only the host knows (a thread can be booted before it is known: warm standby). The
 * last element says whether the actor runs in a supervision tree, where `ctx.ref` can resolve names.
 */
export const OP_INIT = 1;
/** Host to thread: request/reply; the thread answers with `OP_REPLY` or `OP_FAIL` under the same id. */
export const OP_CALL = 2;
/** Host to thread: fire-and-forget. */
export const OP_CAST = 3;
/** Host to thread: run `terminate(state, reason)` and end the actor. */
export const OP_STOP = 4;
/** Thread to host: the module loaded and exports a worker definition; carries its method names. */
export const OP_LOADED = 10;
/** Thread to host: the module loaded but no worker definition could be picked from its exports. */
export const OP_LOAD_FAILED = 11;
/** Thread to host: `init` returned a state; the actor takes calls. */
export const OP_READY = 12;
/** Thread to host: `init` threw or rejected. */
export const OP_INIT_FAILED = 13;
/** Thread to host: `init` returned `ignore()`. */
export const OP_IGNORED = 14;
/** Thread to host: a call's return value. */
export const OP_REPLY = 15;
/** Thread to host: a call could not be answered, without harm to the actor (see {@link CallFailure}). */
export const OP_FAIL = 16;
/** Thread to host: the actor ended (stopped, stopped itself, or crashed), with its exit reason. */
export const OP_EXIT = 17;
/** Thread to host: the thread's event loop is turning (heartbeat). */
export const OP_BEAT = 18;

/**
 * Host to thread (pool): every job dispatched to the thread in one tick, flattened four slots a job:
 * `[id, handler index, delivery, args]` (the index into the handler names of `OP_LOADED`). One message a
 * tick, not one a job: a postMessage costs far more than cloning one more array. The exception to the
 * one-at-a-time rule above, on purpose: a job's arguments are cloned when it is dispatched (as a queued
 * job's must be anyway), and docs/pools.md tells callers not to change them after `run()`.
 */
export const OP_JOBS = 40;
/** Host to thread (pool): abort the running job `id` (its `ctx.signal` fires with `reason`). */
export const OP_JOB_ABORT = 41;
/**
 * Thread to host (pool): the outcomes of every job that ended in one turn, three slots a job:
 * `[id, status, value]` with {@link JOB_OK} (value: the result), {@link JOB_THREW} (value: the
 * handler's `SerializedError`) or {@link JOB_UNCLONEABLE} (value: the clone error).
 */
export const OP_JOB_RESULTS = 42;
/** A job's status in `OP_JOB_RESULTS`: the handler returned (or resolved). */
export const JOB_OK = 0;
/** A job's status in `OP_JOB_RESULTS`: the handler threw (or rejected). */
export const JOB_THREW = 1;
/** A job's status in `OP_JOB_RESULTS`: the handler returned a value that cannot be cloned. */
export const JOB_UNCLONEABLE = 2;

/** Why a call got `OP_FAIL`: its reply could not be cloned, or the method does not exist. */
export type CallFailure = 'clone' | 'unknown';

/** How an actor ended, as reported by `OP_EXIT`. */
export type ActorEnd =
  /** The host asked it to stop and `terminate` returned. */
  | 'stopped'
  /** A handler returned `stop(...)` and `terminate` returned. */
  | 'self'
  /** A handler (or `init`'s later work) threw or rejected. */
  | 'crashed'
  /** `terminate` threw or rejected while stopping. */
  | 'terminate_failed';

/** A message from the host to a thread. */
export type HostMessage =
  | readonly [op: typeof OP_INIT, actor: number, args: unknown, self: ActorSelf, inTree?: boolean]
  | readonly [op: typeof OP_CALL, actor: number, id: number, method: string, args: readonly unknown[]]
  | readonly [op: typeof OP_CAST, actor: number, method: string, args: readonly unknown[]]
  | readonly [op: typeof OP_STOP, actor: number, reason: ExitReason]
  | readonly [op: typeof OP_JOBS, jobs: unknown[]]
  | readonly [op: typeof OP_JOB_ABORT, id: number, reason: unknown]
  | PeerHostMessage;

/** A message from a thread to its host. */
export type ThreadMessage =
  /** `jobs` only from a job handler module (`defineJobHandler`): its handler names and declared arities. */
  | readonly [op: typeof OP_LOADED, calls: readonly string[], casts: readonly string[], jobs?: JobHandlerTable]
  | readonly [op: typeof OP_LOAD_FAILED, error: SerializedError]
  | readonly [op: typeof OP_READY, actor: number]
  | readonly [op: typeof OP_INIT_FAILED, actor: number, error: SerializedError]
  | readonly [op: typeof OP_IGNORED, actor: number]
  | readonly [op: typeof OP_REPLY, actor: number, id: number, value: unknown]
  | readonly [op: typeof OP_FAIL, actor: number, id: number, failure: CallFailure, error: SerializedError]
  | readonly [op: typeof OP_EXIT, actor: number, reason: ExitReason, how: ActorEnd]
  | readonly [op: typeof OP_BEAT]
  | readonly [op: typeof OP_JOB_RESULTS, results: unknown[]]
  | PeerThreadMessage;

/**
 * What a job handler module reports at load: its handler names and each handler's declared parameter
 * count after `ctx` (`Function.length - 1`), which tells `run()` where a job's arguments end.
 */
export interface JobHandlerTable {
  names: readonly string[];
  arity: readonly number[];
  /**
   * Shared memory the thread writes as it runs jobs (an `Int32Array`): slot `JOB_IN_HANDLER` holds the
   * sequence number of the job whose handler runs synchronously now (0: none), slot `JOB_STARTED` how
   * many jobs it has started. Read by the host when the thread dies, to tell the culprit and the jobs
   * that never started from the others, without a message per job.
   */
  progress?: SharedArrayBuffer;
}

/** Slots of {@link JobHandlerTable.progress}. */
export const JOB_IN_HANDLER = 0;
export const JOB_STARTED = 1;

/** `true` for a value shaped like a {@link ThreadMessage}: a guard against a runtime of another make on the port. */
export function isThreadMessage(value: unknown): value is ThreadMessage {
  return Array.isArray(value) && typeof value[0] === 'number';
}

// ---- messaging between actors (issue 12) --------------------------------------------------------
// Appended, not interleaved: the numbers above are the wire format of protocol 2's other half.

/**
 * Host to thread (the callee): serve calls arriving on `port` from the caller `caller` (a direct channel,
 * set up by the host on the caller's first call). Calls arrive as {@link PeerRequest}s, answers leave as
 * {@link PeerResponse}s.
 */
export const OP_PEER_ACCEPT = 5;
/** Host to thread (the caller): the channel asked for by `OP_CONNECT` `request` is open on `port`. */
export const OP_CONNECTED = 6;
/** Host to thread (the caller): no channel for `OP_CONNECT` `request` (nothing to talk to, within the timeout). */
export const OP_CONNECT_FAILED = 7;
/**
 * Host to thread: the incarnation at the other end of channel `channel` has ended (`reason`); calls in
 * flight on it fail now, and the next call resolves the target again. `stopped` says whether it was an
 * orderly stop (`ActorStoppedError`) rather than a crash (`ActorCrashedError`).
 */
export const OP_PEER_DOWN = 8;
/** Host to thread: the incarnation watched by monitor `monitor` has ended (or was never there: `noproc`). */
export const OP_DOWN = 9;
/** Thread to host: actor `actor` asks for a direct channel to the child named (or at the path) `target`. */
export const OP_CONNECT = 19;
/** Thread to host: actor `actor` watches the incarnation of `target` that runs now (OTP's `monitor`). */
export const OP_MONITOR = 20;
/** Thread to host: actor `actor` no longer watches through monitor `monitor` (OTP's `demonitor`). */
export const OP_DEMONITOR = 21;
/** Thread to host: something the runtime had to drop, for the host's logger (the thread has none). */
export const OP_LOG = 22;
/**
 * Host to thread (the caller): the target of `OP_CONNECT` `request` is not running yet and the host waits
 * for it; `callTimeoutMs` is the target's own call timeout, the deadline of the calls queued without one.
 */
export const OP_CONNECT_WAITING = 23;

/** What the caller learns about the incarnation a channel reaches. */
export interface PeerInfo {
  /** Its path in the tree (a name resolves to it). */
  readonly path: string;
  readonly incarnation: number;
  readonly calls: readonly string[];
  readonly casts: readonly string[];
  /** Its child spec's `callTimeoutMs` (the default of calls to it), ms or `Infinity`. */
  readonly callTimeoutMs: number;
}

/** The down notice's reason: how the watched incarnation ended, or `noproc` when there was none (OTP). */
export type DownReason = ExitReason | { readonly kind: 'noproc' };

/** The messaging half of {@link HostMessage}. */
export type PeerHostMessage =
  | readonly [op: typeof OP_PEER_ACCEPT, actor: number, channel: number, port: import('node:worker_threads').MessagePort, caller: ActorSelf]
  | readonly [op: typeof OP_CONNECTED, actor: number, request: number, channel: number, port: import('node:worker_threads').MessagePort, peer: PeerInfo]
  | readonly [op: typeof OP_CONNECT_FAILED, actor: number, request: number, detail: string, timeoutMs: number | undefined]
  | readonly [op: typeof OP_CONNECT_WAITING, actor: number, request: number, callTimeoutMs: number]
  | readonly [op: typeof OP_PEER_DOWN, actor: number, channel: number, reason: ExitReason, stopped: boolean]
  | readonly [op: typeof OP_DOWN, actor: number, monitor: number, path: string, incarnation: number | undefined, reason: DownReason];

/** The messaging half of {@link ThreadMessage}. */
export type PeerThreadMessage =
  /** How long the host may wait for a restarting target (ms or `Infinity`); `undefined`: the target's own call timeout. */
  | readonly [op: typeof OP_CONNECT, actor: number, request: number, target: string, timeoutMs: number | undefined]
  | readonly [op: typeof OP_MONITOR, actor: number, monitor: number, target: string]
  | readonly [op: typeof OP_DEMONITOR, actor: number, monitor: number]
  | readonly [op: typeof OP_LOG, actor: number, level: 'warn' | 'error', context: string, message: string];

/**
 * One handler waiting on a call down a chain: the actor's path and incarnation, and the turn of its
 * mailbox (which message it was handling) when it made the call. The turn tells a handler still running
 * from one that has returned.
 */
export type ChainLink = readonly [path: string, incarnation: number, turn: number];

/**
 * Caller to callee on a direct channel: a call (with the chain of handlers that wait on it, the caller's
 * last, to catch cycles) or a cast. The channel joins one caller to one incarnation, so no actor id.
 */
export type PeerRequest =
  | readonly [op: typeof OP_CALL, id: number, method: string, args: readonly unknown[], chain: readonly ChainLink[]]
  | readonly [op: typeof OP_CAST, method: string, args: readonly unknown[]];

/**
 * Why a peer's call got no answer: a host call's reasons, or `cycle`: the callee's handler running now
 * is in the call's chain, so it waits (down the chain) on this very call and could never take it.
 */
export type PeerCallFailure = CallFailure | 'cycle';

/** Callee to caller on a direct channel: the reply of call `id`, or why it got none (as `OP_FAIL`). */
export type PeerResponse =
  | readonly [op: typeof OP_REPLY, id: number, value: unknown]
  | readonly [op: typeof OP_FAIL, id: number, failure: PeerCallFailure, error: SerializedError];
