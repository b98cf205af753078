/**
 * `startWorker`: one worker actor in its own thread, without a supervisor.
 */
import type { Logger } from 'pino';
import type { ExitReason } from '../protocol/exit-reason.js';
import { StartIgnoredError } from '../errors.js';
import type { ActorRef } from '../protocol/actor-ref.js';
import type {
  AnyWorker, CallArgs, CallName, CallResult, CastArgs, CastName, InitArgsOption,
} from '../protocol/worker-definition.js';
import { createActorRef } from './actor-ref.js';
import type { ActorHandle, Shutdown, WorkerStartOptions } from '../seams/child-host.js';
import { ThreadHost } from './thread-host.js';
import { assertLogger } from '../options/start-options.js';
import { parseOrThrow } from '../options/issues.js';
import { workerOptionsSchema } from '../options/worker-options.js';

/**
 * Options of {@link startWorker}: {@link WorkerStartOptions} with `args` typed by the worker's `init`
 * (required when `init` requires it). No `self`: a worker outside any tree is known by its `name` (or a
 * generated id), in its first and only incarnation.
 */
export type StartWorkerOptions<W = AnyWorker> = Omit<WorkerStartOptions, 'args' | 'self'> & {
  /**
   * Where the host reports what it drops (late replies) or cannot decode: anything with `error`, `warn`,
   * `info` and `debug`. One whose method throws is contained (that record goes to stderr as one line).
   * @default pino at level 'warn'
   */
  logger?: Logger;
} & InitArgsOption<W>;

/** A running standalone worker actor: a typed {@link ActorRef} plus its lifecycle. */
export interface WorkerRef<W = AnyWorker> extends ActorRef<W> {
  /** The Node thread id of the actor's thread. */
  readonly threadId: number;
  /** `true` until the actor has ended (crashed, stopped, or stopping has completed). */
  readonly alive: boolean;
  /** Settles once, with the reason the actor ended. Never rejects. */
  readonly exited: Promise<ExitReason>;
  /**
   * Asks the actor to stop: `terminate(state, reason)` runs in the thread, and the promise resolves with
   * the exit reason (`reason` itself after an orderly stop). Past `shutdown` ms the thread is terminated
   * (`{ kind: 'killed', afterMs }`); `'brutal_kill'` terminates at once; `'infinity'` waits as long as it
   * takes. Calling it again returns the same promise.
   *
   * @param reason What `terminate` is told. @default { kind: 'shutdown' }
   * @param options.shutdown @default 5000
   */
  stop(reason?: ExitReason, options?: { shutdown?: Shutdown }): Promise<ExitReason>;
}

/**
 * Starts a worker actor in a new thread and resolves once its `init` has returned. Not supervised: a
 * crash ends it for good (watch `exited`). Rejects with `StartError` if the module fails to load, does
 * not export a definition, or `init` throws; with `StartIgnoredError` if `init` returns `ignore()`; with
 * `InvalidSpecError` (`ERR_INVALID_SPEC`) for bad options, `undefined` or `null` included, before any
 * thread is spawned. The options follow the same schema as a worker child spec.
 *
 * @example
 * ```ts
 * import { startWorker } from 'threadvisor';
 * import type Counter from './counter.worker.js';
 *
 * const counter = await startWorker<typeof Counter>({
 *   module: new URL('./counter.worker.js', import.meta.url),
 *   args: { start: 1 },
 * });
 * const n = await counter.call('add', 2); // 3, typed as number
 * await counter.stop();
 * ```
 */
export async function startWorker<W = AnyWorker>(options: StartWorkerOptions<W>): Promise<WorkerRef<W>> {
  // Anything but an object (undefined, null) goes to the host as given, which refuses it with InvalidSpecError.
  const given = typeof options === 'object' && options !== null;
  const { logger, ...start } = given ? options : ({} as StartWorkerOptions<W>);
  assertLogger(logger, 'logger', 'worker options');
  // The worker options alone: `self` and `peers` are the host's to take from a supervisor, so a caller cannot forge an
  // actor's identity (and the error lists only the keys `startWorker` accepts).
  if (given && ('self' in start || 'peers' in start)) parseOrThrow(workerOptionsSchema, start, 'worker options');
  const host = new ThreadHost(logger === undefined ? {} : { logger });
  const outcome = await host.start((given ? start : options) as WorkerStartOptions);
  if (outcome.status === 'ignored') {
    throw new StartIgnoredError(options.name ?? String(options.module));
  }
  return new StandaloneWorkerRef<W>(outcome.actor);
}

class StandaloneWorkerRef<W> implements WorkerRef<W> {
  readonly #actor: ActorHandle;
  readonly #ref: ActorRef<W>;

  constructor(actor: ActorHandle) {
    this.#actor = actor;
    this.#ref = createActorRef<W>(actor);
  }

  get threadId(): number {
    return this.#actor.threadId;
  }

  get alive(): boolean {
    return this.#actor.alive;
  }

  get exited(): Promise<ExitReason> {
    return this.#actor.exited;
  }

  call<M extends CallName<W>>(method: M, ...args: CallArgs<W, M>): Promise<CallResult<W, M>> {
    return this.#actor.call(method, args) as Promise<CallResult<W, M>>;
  }

  cast<M extends CastName<W>>(method: M, ...args: CastArgs<W, M>): void {
    this.#actor.cast(method, args);
  }

  withTimeout(timeoutMs: number): ActorRef<W> {
    return this.#ref.withTimeout(timeoutMs);
  }

  stop(reason?: ExitReason, options?: { shutdown?: Shutdown }): Promise<ExitReason> {
    return this.#actor.stop(reason, options);
  }
}
