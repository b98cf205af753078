/**
 * The production {@link ChildHost}: every worker actor in its own `worker_thread`.
 */
import type { ChildHost, StartOutcome, WorkerStartOptions } from '../seams/child-host.js';
import { resolveSettings } from './settings.js';
import { WorkerThread } from './worker-thread.js';
import type { Logger } from 'pino';
import { defaultLogger } from '../observability/logger.js';
import { containLogger } from '../observability/contained-logger.js';
import { assertOptions, threadHostOptionsSchema } from '../options/start-options.js';

/**
 * Starts worker actors in worker threads. A supervisor uses one to run its worker children; `startWorker`
 * uses one for a standalone actor.
 *
 * @example
 * ```ts
 * const host = new ThreadHost();
 * const outcome = await host.start({ module: new URL('./counter.worker.js', import.meta.url), args: { start: 1 } });
 * if (outcome.status === 'started') await outcome.actor.call('add', [2]);
 * ```
 */
export class ThreadHost implements ChildHost {
  readonly #logger: Logger;

  /**
   * @param options.logger where the host reports what it has to drop: a reply that arrived after its call
   * timed out (warn), a message from a thread that could not be decoded (error, and the thread is ended).
   * Anything with `error`, `warn`, `info` and `debug`; one whose method throws is contained (one line to
   * stderr instead). @default pino at level 'warn'
   * @throws InvalidSpecError (`ERR_INVALID_SPEC`) for options that are not `undefined` or `{ logger }`.
   */
  constructor(options: { logger?: Logger } = {}) {
    assertOptions(threadHostOptionsSchema, options, 'thread host options');
    // A late reply or an undecodable message is logged from a thread's message handler: a throwing
    // logger there would break that thread's supervision.
    this.#logger = containLogger(options.logger ?? defaultLogger());
  }

  /**
   * Boots a thread, then starts its actor with `options.args` and `options.self` (by default its `name`,
   * or a generated id). Loading and `init` together get `startTimeoutMs`. Rejects with `StartError` (the
   * thread gone) or `InvalidSpecError` (nothing spawned).
   */
  async start(options: WorkerStartOptions): Promise<StartOutcome> {
    const settings = resolveSettings(options, this.#logger);
    return WorkerThread.start(settings, performance.now() + settings.startTimeoutMs);
  }

  /**
   * Boots a thread up to the point where it waits for `init` arguments (`options.args` and `options.self`
   * are not used): the seam for warm standby. Start its actor later with `thread.startActor(args, deadline, self)`.
   */
  boot(options: WorkerStartOptions): Promise<WorkerThread> {
    const settings = resolveSettings(options, this.#logger);
    return WorkerThread.boot(settings, performance.now() + settings.startTimeoutMs);
  }
}
