/**
 * The daemon's lifecycle: `starting` -> `running` -> `stopping` -> `exiting`, driven by the tree's start,
 * signals, fatal errors of the main thread, the shutdown deadline and the root's exit. Which code each
 * end gets is decided by `exitCodeFor`; this file only gathers what happened and exits once.
 */
import type { Logger } from 'pino';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { formatExitReason, isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import { startSupervisor, type Supervisor } from '../supervisor/start-supervisor.js';
import type { StartOptions } from '../supervisor/tree-context.js';
import { killTree } from '../supervisor/tree-handle.js';
import { startHealthServer, type HealthServer, type HealthServerOptions } from '../health/health-server.js';
import { crashReporter, type CrashReporter, type CrashReporterOptions } from '../observability/crash-reporter.js';
import { exitCodeFor, type DaemonEnd, type DaemonSignal } from './exit-codes.js';

/** Where a fatal error of the main thread came from. */
export type FatalOrigin = 'uncaughtException' | 'unhandledRejection';

/** What a daemon needs, every default filled in. */
interface DaemonOptions {
  logger: Logger;
  shutdownTimeoutMs: number;
  onFatal: ((error: unknown, origin: FatalOrigin) => void | Promise<void>) | undefined;
  exit: (code: number) => void;
  /** The health server to start once the tree runs (its logger filled in), or none. */
  health: HealthServerOptions | undefined;
  /** The crash reporter to build (its logger filled in), or none. */
  crashReports: CrashReporterOptions | undefined;
}

type Phase = 'starting' | 'running' | 'stopping' | 'exiting';
type Listener = (...args: never[]) => void;

/** One daemon run: installs its process handlers on start and removes them just before it exits. */
export class Daemon {
  readonly #options: DaemonOptions;
  #phase: Phase = 'starting';
  #sup: Supervisor | null = null;
  /** Set once a fatal error was seen: the end is `fatal` whatever else happens. */
  #fatal = false;
  #deadlineExceeded = false;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  /** The code `#finish` decided, used once the onFatal hooks have settled. */
  #pendingCode = 0;
  /** `exit` has been called: nothing may happen after it. */
  #done = false;
  /** Promises returned by `onFatal`, awaited (within the deadline) before the exit. */
  readonly #hooks = new Set<Promise<unknown>>();
  readonly #listeners: [string, Listener][] = [];
  /** Resolves once `exit` has been called. */
  readonly #ended: Promise<void>;
  #endedNow!: () => void;
  #health: HealthServer | undefined;
  /** The health server failed to listen: the tree is stopped, and the end is a start failure. */
  #startFailed = false;
  /** The crash reporter of `crashReports`, appended to the tree's reporters by `run()`. */
  readonly crashes: CrashReporter | undefined;

  /** @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `crashReports` is not as documented. */
  constructor(options: DaemonOptions) {
    this.#options = options;
    this.#ended = new Promise<void>((resolve) => (this.#endedNow = resolve));
    const reports = options.crashReports;
    // Built before any handler is installed, so its bad options reject run() with nothing to undo.
    // A wrapper only around a function: anything else goes to crashReporter as given, which refuses it.
    const onCrash = reports?.onCrash;
    this.crashes = reports === undefined ? undefined : crashReporter(typeof onCrash === 'function' ? { ...reports, onCrash: (report) => this.#tracked(onCrash(report)) } : reports);
  }

  /**
   * Returns what an `onCrash` returned, and when it is a promise, keeps it among the hooks awaited before
   * the exit: the report sent to an error tracker over the network must not be cut off by `exit`.
   * Its rejection is logged by the crash reporter, which gets the same promise back.
   */
  #tracked<T>(result: T): T {
    if (result instanceof Promise) {
      const settled: Promise<unknown> = result.then(
        () => this.#hooks.delete(settled),
        () => this.#hooks.delete(settled),
      );
      this.#hooks.add(settled);
    }
    return result;
  }

  /** Installs the handlers, starts the tree, and resolves with its handle once it runs. */
  async start(spec: SupervisorSpec, startOptions: StartOptions): Promise<Supervisor> {
    this.#install();
    let sup: Supervisor;
    try {
      sup = await startSupervisor(spec, startOptions);
    } catch (error) {
      this.#options.logger.error({ event: 'start_failed', err: error }, 'threadvisor: the tree failed to start');
      this.#finish(this.#fatal ? { kind: 'fatal', deadlineExceeded: this.#deadlineExceeded } : { kind: 'start_failed' });
      // Rejected only after `exit` (which normally ends the process first): a rejection seen earlier
      // would reach the main thread's handlers as one more fatal error while the daemon winds up.
      await this.#ended;
      throw error;
    }
    // The health server answers only for a running tree, and before `ready`, which tells it is reachable.
    let failure: unknown;
    const health = this.#options.health;
    if (health !== undefined && this.#phase === 'starting') {
      try {
        this.#health = await startHealthServer(sup, health);
      } catch (error) {
        failure = error;
      }
    }
    this.#sup = sup;
    void sup.exited.then((reason) => this.#treeExited(reason));
    if (failure !== undefined) {
      // Not listening is a start failure: a probe would never see this process ready, so do not pretend.
      this.#options.logger.error({ event: 'start_failed', err: failure }, 'threadvisor: the health server failed to start: stopping the tree');
      this.#startFailed = true;
      if (this.#phase === 'stopping') this.#stopTree(sup);
      else this.#beginShutdown();
      await this.#ended;
      throw failure;
    }
    // A signal or a fatal error that came while the tree started is served now that there is a tree.
    if (this.#phase === 'stopping') {
      this.#health?.drain();
      this.#stopTree(sup);
    } else if (this.#phase === 'starting') {
      this.#phase = 'running';
      const url = this.#health === undefined ? {} : { health: this.#health.url };
      this.#options.logger.info({ event: 'ready', supervisor: sup.name, pid: process.pid, shutdownTimeoutMs: this.#options.shutdownTimeoutMs, ...url }, 'threadvisor: tree running');
    }
    return sup;
  }

  #install(): void {
    const on = (event: string, listener: Listener): void => {
      process.on(event as 'SIGTERM', listener as () => void);
      this.#listeners.push([event, listener]);
    };
    on('SIGTERM', () => this.#signal('SIGTERM'));
    on('SIGINT', () => this.#signal('SIGINT'));
    on('uncaughtException', (error: unknown) => this.#crash(error, 'uncaughtException'));
    on('unhandledRejection', (reason: unknown) => this.#crash(reason, 'unhandledRejection'));
  }

  #uninstall(): void {
    for (const [event, listener] of this.#listeners.splice(0)) process.off(event as 'SIGTERM', listener as () => void);
  }

  #signal(signal: DaemonSignal): void {
    if (this.#done) return;
    if (this.#phase === 'stopping' || this.#phase === 'exiting') {
      // The operator insists: what is still stopping is abandoned, Node terminates the threads on exit.
      this.#options.logger.warn({ event: 'forced', signal }, `threadvisor: ${signal} during the shutdown: exiting at once`);
      this.#exitNow(exitCodeFor({ kind: 'forced', signal }), 'forced');
      return;
    }
    this.#options.logger.info({ event: 'stopping', signal, shutdownTimeoutMs: this.#options.shutdownTimeoutMs }, `threadvisor: ${signal}: stopping the tree`);
    this.#beginShutdown();
  }

  #crash(error: unknown, origin: FatalOrigin): void {
    // Logged whatever the phase: a second error during the shutdown is evidence too.
    this.#options.logger.error({ event: 'fatal', origin, err: error }, `threadvisor: ${origin} in the main thread: stopping the tree`);
    if (this.#done || this.#phase === 'exiting') return;
    this.#report(error, origin);
    // Never resume: the main thread's state is as suspect as a crashed actor's.
    this.#fatal = true;
    if (this.#phase !== 'stopping') this.#beginShutdown();
  }

  /** Hands a fatal error to `onFatal`, contained: a reporter that fails must not stop the shutdown. */
  #report(error: unknown, origin: FatalOrigin): void {
    const hook = this.#options.onFatal;
    if (hook === undefined) return;
    try {
      const result = hook(error, origin);
      if (result instanceof Promise) {
        const tracked = result.catch((e: unknown) => this.#options.logger.error({ event: 'on_fatal_failed', err: e }, 'threadvisor: onFatal rejected'));
        this.#hooks.add(tracked);
      }
    } catch (e) {
      this.#options.logger.error({ event: 'on_fatal_failed', err: e }, 'threadvisor: onFatal threw');
    }
  }

  #beginShutdown(): void {
    this.#phase = 'stopping';
    const ms = this.#options.shutdownTimeoutMs;
    this.#deadlineTimer = setTimeout(() => this.#deadline(), ms);
    // Before the first child stops: Kubernetes takes the pod out of its endpoints while it still serves.
    this.#health?.drain();
    if (this.#sup !== null) this.#stopTree(this.#sup);
  }

  #stopTree(sup: Supervisor): void {
    void sup.stop();
    // The deadline passed while the tree was still starting: nothing is left to wait for.
    if (this.#deadlineExceeded) killTree(sup, this.#options.shutdownTimeoutMs);
  }

  #deadline(): void {
    this.#deadlineExceeded = true;
    const ms = this.#options.shutdownTimeoutMs;
    this.#options.logger.error({ event: 'deadline', shutdownTimeoutMs: ms }, `threadvisor: the shutdown took longer than ${ms} ms: killing what remains`);
    // Without a tree yet, start() kills it as soon as it has one.
    if (this.#sup !== null) killTree(this.#sup, ms);
    // onFatal hooks still pending get no more time either.
    if (this.#phase === 'exiting') this.#flushed();
  }

  #treeExited(reason: ExitReason): void {
    if (this.#done || this.#phase === 'exiting') return;
    const deadlineExceeded = this.#deadlineExceeded;
    if (this.#phase === 'stopping') {
      this.#options.logger.info({ event: 'stopped', reason: formatExitReason(reason) }, 'threadvisor: the tree has stopped');
      this.#finish(this.#fatal ? { kind: 'fatal', deadlineExceeded } : this.#startFailed ? { kind: 'start_failed' } : { kind: 'stopped', deadlineExceeded });
      return;
    }
    // Nobody asked this tree to stop: the root gave up, or ended normally by itself. Not ready any more.
    this.#health?.drain();
    if (isNormalExit(reason)) this.#options.logger.info({ event: 'ended', reason: formatExitReason(reason) }, 'threadvisor: the tree ended by itself');
    else this.#options.logger.error({ event: 'escalated', reason: formatExitReason(reason) }, 'threadvisor: the root supervisor gave up; exiting so the outer supervisor restarts the process');
    this.#finish({ kind: 'exited', reason });
  }

  /**
   * Exits with the code of `end` once the pending hooks (`onFatal`, `onCrash`) have settled, the crash
   * windows are flushed and the health server is closed, or once the deadline passes.
   */
  #finish(end: DaemonEnd): void {
    if (this.#done || this.#phase === 'exiting') return;
    this.#phase = 'exiting';
    this.#pendingCode = exitCodeFor(end);
    // An escalation or a tree that ended by itself armed no deadline: the wrap-up gets one of its own, so
    // a hook that never settles cannot keep the process from exiting.
    this.#deadlineTimer ??= setTimeout(() => {
      this.#deadlineExceeded = true;
      this.#flushed();
    }, this.#options.shutdownTimeoutMs);
    void this.#wrapUp().then(() => this.#flushed());
  }

  async #wrapUp(): Promise<void> {
    await this.#settled();
    // Flushing reports what the open windows folded; their onCrash promises join the hooks awaited next.
    this.crashes?.dispose();
    await this.#settled();
    await this.#health?.close();
  }

  /** Resolves once every pending hook has settled (at once when none is pending or the deadline passed). */
  async #settled(): Promise<void> {
    if (this.#hooks.size === 0 || this.#deadlineExceeded) return;
    await Promise.allSettled([...this.#hooks]);
  }

  #flushed(): void {
    this.#exitNow(this.#pendingCode, 'exit');
  }

  #exitNow(code: number, event: 'exit' | 'forced'): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#deadlineTimer);
    // On a forced exit or a passed deadline the wrap-up is cut short: the summaries are still handed to
    // onCrash (synchronously), and the server stops listening; the exit closes what remains.
    this.crashes?.dispose();
    void this.#health?.close();
    if (event === 'exit') this.#options.logger.info({ event: 'exit', code }, `threadvisor: exiting with code ${code}`);
    this.#uninstall();
    this.#endedNow();
    this.#options.exit(code);
  }
}
