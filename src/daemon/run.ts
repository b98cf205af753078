/**
 * `run(spec, options)`: a supervision tree as a daemon. It starts the tree, turns SIGTERM and SIGINT into
 * the tree's ordered shutdown under one overall deadline, stops the tree when the main thread throws, and
 * ends the process with a code that systemd and Kubernetes act on (see `exit-codes.ts`).
 */
import { pino, type Logger } from 'pino';
import { assertHealthServerOptions, type HealthServerOptions } from '../health/health-server.js';
import type { CrashReporterOptions } from '../observability/crash-reporter.js';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { assertOptions, DEFAULT_SHUTDOWN_TIMEOUT_MS, runOptionsSchema } from '../options/start-options.js';
import type { Supervisor } from '../supervisor/start-supervisor.js';
import type { StartOptions } from '../supervisor/tree-context.js';
import { Daemon, type FatalOrigin } from './daemon.js';

export type { FatalOrigin } from './daemon.js';

/** Options of {@link run}: the tree's start options, and how the daemon ends. */
export interface RunOptions extends StartOptions {
  /**
   * Your pino logger, for the tree's reports and the daemon's own lines (`ready`, `stopping`, `stopped`,
   * `fatal`, `escalated`, `exit`, each with an `event` field). The `ready` line is logged at info level
   * once every child runs. @default pino at level 'info', JSON lines written synchronously to stdout
   */
  logger?: Logger;
  /**
   * The overall deadline of the shutdown that a signal or a fatal error starts, in ms, from that moment.
   * Children still running when it passes are killed (their `terminate` is cut short) and the process
   * exits 124 (70 after a fatal error). Keep it under Kubernetes' `terminationGracePeriodSeconds` (30 s
   * by default) and systemd's `TimeoutStopSec`, so threadvisor, not a SIGKILL, ends the threads.
   * A whole number from 1 to 2147483647. @default 25000
   */
  shutdownTimeoutMs?: number;
  /**
   * Called with an uncaught exception or unhandled rejection of the main thread, after it is logged
   * (error level, with its stack) and before the tree stops: send it to your error tracker here. A
   * promise it returns is awaited before the exit, within the shutdown deadline. A throw is logged and
   * ignored. The process never resumes after a fatal error: it stops the tree and exits 70.
   * @default none
   */
  onFatal?: (error: unknown, origin: FatalOrigin) => void | Promise<void>;
  /**
   * How the process ends, called once with the exit code, after the tree has ended (a forced exit on a
   * second signal aside) and the signal and error handlers are removed. Replace it to embed the daemon
   * or to test it. @default process.exit
   */
  exit?: (code: number) => void;
  /**
   * A health server for probes, scrapers and `threadvisor tree` (`/healthz`, `/readyz`, `/metrics`,
   * `/tree`; see `startHealthServer`). It starts once every child runs and before the `ready` line, which
   * carries its URL in a `health` field (read the port from there with `port: 0`). A failure to listen
   * is a start failure: the tree is stopped and the process exits 1. `/readyz` answers 503 from the
   * moment the shutdown begins (signal, fatal error, escalation), before the first child stops, so
   * Kubernetes stops sending traffic; the server is closed before the process exits. Its `logger`
   * defaults to the daemon's. @default none (no server)
   */
  health?: HealthServerOptions;
  /**
   * Crash reports of the tree (the options of `crashReporter`: `onCrash`, `windowMs` in ms, ...): the
   * daemon builds the reporter, appends it to `reporters`, and flushes it before the process exits, so
   * the summary of the last window reaches `onCrash` too. Promises `onCrash` returns are awaited before
   * the exit, within the shutdown deadline. Fatal errors of the main thread are not crash reports (they
   * belong to no child and carry no exit reason): they go to `onFatal`. Its `logger` defaults to the
   * daemon's. @default none
   */
  crashReports?: CrashReporterOptions;
}

/**
 * Runs a supervision tree as a daemon and resolves with its {@link Supervisor} handle once every child
 * runs (for embedding: refs, events, `tree()`). From then on the process ends through `options.exit` in
 * exactly one of these ways (the codes are `EXIT_CODES`; docs/operations.md lists them):
 *
 * - **SIGTERM or SIGINT**: the tree's `stop()` (reverse start order, each child within its `shutdown`)
 *   under the overall `shutdownTimeoutMs`; exits 0, or 124 when the deadline passed and the rest was killed.
 * - **A second SIGTERM or SIGINT during the shutdown**: exits at once with 128 + the signal's number
 *   (143, 130); Node terminates the threads still running.
 * - **The root gives up** (`max_intensity`) or exits abnormally on its own: every thread has already
 *   stopped; exits 69. A root that ends normally by itself (auto-shutdown, your own `stop()`) exits 0.
 * - **An uncaught exception or unhandled rejection in the main thread**: logged, handed to `onFatal`, the
 *   tree stopped as on SIGTERM; exits 70 (the process never resumes).
 * - **The tree fails to start** (or the `health` server cannot listen): logged, what started is stopped, exits 1, and the promise rejects with the `StartError` (seen
 *   only when `exit` does not end the process).
 *
 * Bad `options` reject with `InvalidSpecError` (`ERR_INVALID_SPEC`) before any handler is installed.
 *
 * @example
 * import { run, worker } from 'threadvisor';
 * await run(
 *   { children: [worker({ id: 'api', module: new URL('./api.worker.js', import.meta.url) })] },
 *   { shutdownTimeoutMs: 20_000 },
 * );
 */
export async function run(spec: SupervisorSpec, options?: RunOptions): Promise<Supervisor> {
  assertOptions(runOptionsSchema, options, 'run options');
  const { shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, onFatal, exit = exitProcess, health, crashReports, ...start } = options ?? {};
  if (health !== undefined) assertHealthServerOptions(health);
  // The daemon's lines and the tree's reports go to the same logger, so one stream tells the whole story.
  const logger = start.logger ?? daemonLogger('info');
  const daemon = new Daemon({
    logger,
    shutdownTimeoutMs,
    onFatal,
    exit,
    health: health === undefined ? undefined : { logger, ...health },
    crashReports: crashReports === undefined ? undefined : { logger, ...crashReports },
  });
  const reporters = daemon.crashes === undefined ? start.reporters : [...(start.reporters ?? []), daemon.crashes];
  return daemon.start(spec, { ...start, logger, ...(reporters === undefined ? {} : { reporters }) });
}

/**
 * The daemon's default logger: pino JSON lines on stdout, at `level`, written synchronously, so the last
 * lines before an exit (`stopped`, `exit`) are neither lost nor reordered.
 */
export function daemonLogger(level: string): Logger {
  return pino({ name: 'threadvisor', level }, pino.destination({ dest: 1, sync: true }));
}

function exitProcess(code: number): void {
  process.exit(code);
}
