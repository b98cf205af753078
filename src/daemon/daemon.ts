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
import { exitCodeFor, type DaemonEnd, type DaemonSignal } from './exit-codes.js';

/** Where a fatal error of the main thread came from. */
export type FatalOrigin = 'uncaughtException' | 'unhandledRejection';

/** What a daemon needs, every default filled in. */
export interface DaemonOptions {
  logger: Logger;
  shutdownTimeoutMs: number;
  onFatal: ((error: unknown, origin: FatalOrigin) => void | Promise<void>) | undefined;
  exit: (code: number) => void;
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

  constructor(options: DaemonOptions) {
    this.#options = options;
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
      throw error;
    }
    this.#sup = sup;
    void sup.exited.then((reason) => this.#treeExited(reason));
    // A signal or a fatal error that came while the tree started is served now that there is a tree.
    if (this.#phase === 'stopping') this.#stopTree(sup);
    else {
      this.#phase = 'running';
      // Where a health server would start answering /readyz with 200.
      this.#options.logger.info({ event: 'ready', supervisor: sup.name, pid: process.pid, shutdownTimeoutMs: this.#options.shutdownTimeoutMs }, 'threadvisor: tree running');
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
    // Where a health server would turn /readyz to 503, before the first child stops.
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
      this.#finish(this.#fatal ? { kind: 'fatal', deadlineExceeded } : { kind: 'stopped', deadlineExceeded });
      return;
    }
    // Nobody asked this tree to stop: the root gave up, or ended normally by itself.
    if (isNormalExit(reason)) this.#options.logger.info({ event: 'ended', reason: formatExitReason(reason) }, 'threadvisor: the tree ended by itself');
    else this.#options.logger.error({ event: 'escalated', reason: formatExitReason(reason) }, 'threadvisor: the root supervisor gave up; exiting so the outer supervisor restarts the process');
    this.#finish({ kind: 'exited', reason });
  }

  /** Exits with the code of `end` once the onFatal hooks have settled (or the deadline passed). */
  #finish(end: DaemonEnd): void {
    if (this.#done || this.#phase === 'exiting') return;
    this.#phase = 'exiting';
    this.#pendingCode = exitCodeFor(end);
    if (this.#hooks.size === 0 || this.#deadlineExceeded) {
      this.#flushed();
      return;
    }
    void Promise.allSettled([...this.#hooks]).then(() => this.#flushed());
  }

  #flushed(): void {
    this.#exitNow(this.#pendingCode, 'exit');
  }

  #exitNow(code: number, event: 'exit' | 'forced'): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#deadlineTimer);
    if (event === 'exit') this.#options.logger.info({ event: 'exit', code }, `threadvisor: exiting with code ${code}`);
    this.#uninstall();
    this.#options.exit(code);
  }
}
