/**
 * The shell around the pure core: a mailbox feeding `step`, and an interpreter that carries out its
 * effects with real threads (through a `ChildHost`), real timers and real promises.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import { step } from '../core/machine.js';
import { abandonChildren, createSupervisorState, type SupervisorState } from '../core/state.js';
import type { Effect, ManagementResult, Report, SupervisorInput } from '../core/events.js';
import { isNormalExit, type ExitReason } from '../protocol/exit-reason.js';
import type { NormalizedChildSpec, NormalizedSupervisorChildSpec, NormalizedWorkerChildSpec, Shutdown } from '../core/child-spec.js';
import type { NormalizedFlags } from '../core/supervisor-flags.js';
import type { ActorHandle, ChildHost } from '../seams/child-host.js';
import type { Clock } from '../seams/clock.js';
import { serializeError } from '../protocol/serialized-error.js';
import {
  AlreadyPresentError, ChildNotFoundError, ChildRestartingError, ChildRunningError, MaxChildrenError, StartError,
  SupervisorStoppedError,
} from '../errors.js';
import type { SupervisorEvents } from '../observability/events.js';
import type { SupervisionMetrics } from '../observability/metrics.js';
import { logReport, offender } from '../observability/logger.js';
import { Mailbox } from './mailbox.js';
import type { ChildCounts, ChildInfo, SupervisorTree, TreeNode } from './introspection.js';

/** What every supervisor of one tree shares: the host, the emitter, the logger, the counters. */
export interface TreeContext {
  host: ChildHost;
  emitter: EventEmitter<SupervisorEvents>;
  logger: Logger;
  metrics: SupervisionMetrics;
  random: () => number;
  clock: Clock;
  /** Called after any supervisor of the tree has handled an input (refs waiting for a child re-check). */
  watchers: Set<() => void>;
  /** Sees every report of every supervisor of the tree, with its path (`''` for the root) and time. */
  tap?: ((path: string, report: Report, now: number) => void) | undefined;
  /** Starts so far of each worker path: kept tree-wide so a restarted parent never reuses an incarnation. */
  incarnations: Map<string, number>;
}

type WithoutRequest<T> = T extends unknown ? Omit<T, 'request'> : never;
/** A management request before the mailbox numbers it. */
export type RequestInput = WithoutRequest<Extract<SupervisorInput, { request: number }>>;

type Running = { kind: 'worker'; actor: ActorHandle } | { kind: 'supervisor'; sup: SupervisorProcess };

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
  id: string;
}

/**
 * One supervisor, running: the core's state, its mailbox, and the live children. The public handle
 * (`Supervisor`) wraps the root one; nested supervisors are reached through it.
 * @internal
 */
export class SupervisorProcess {
  readonly name: string;
  /** Where it sits in the tree: `''` for the root, then child ids joined by `/`. */
  readonly path: string;
  readonly tree: TreeContext;
  readonly #state: SupervisorState;
  readonly #mailbox: Mailbox<SupervisorInput>;
  readonly #running = new Map<string, Running>();
  readonly #timers = new Map<number, unknown>();
  readonly #requests = new Map<number, Pending>();
  #nextRequest = 1;
  #ready!: { resolve: () => void; reject: (e: Error) => void };
  readonly readyPromise: Promise<void>;
  #settleExit!: (reason: ExitReason) => void;
  /** Settles once with the supervisor's exit reason; never rejects. */
  readonly exited: Promise<ExitReason>;
  #exitReason: ExitReason | null = null;
  #isReady = false;
  /** Set by `kill`: the mailbox is closed and the subtree is being torn down. */
  #killing = false;
  /** Child starts not yet settled (a kill waits for them, then ends what they started). */
  readonly #inflight = new Set<Promise<void>>();
  readonly #exitListeners = new Set<(reason: ExitReason) => void>();
  readonly #isRoot: boolean;

  constructor(options: {
    name: string;
    flags: NormalizedFlags;
    children: readonly NormalizedChildSpec[];
    tree: TreeContext;
    root: boolean;
    path?: string;
    dynamic?: { maxChildren: number } | null;
  }) {
    this.name = options.name;
    this.path = options.path ?? '';
    this.tree = options.tree;
    this.#isRoot = options.root;
    this.#state = createSupervisorState({ name: options.name, flags: options.flags, children: options.children, random: options.tree.random, dynamic: options.dynamic ?? null });
    this.readyPromise = new Promise<void>((resolve, reject) => (this.#ready = { resolve, reject }));
    this.exited = new Promise<ExitReason>((resolve) => (this.#settleExit = resolve));
    this.#mailbox = new Mailbox<SupervisorInput>(
      (input) => this.#handle(input),
      (error) => this.#crashed(error),
    );
  }

  /** Starts the children in order; resolves once all run, rejects with `StartError` naming the failed child. */
  start(): Promise<void> {
    this.#mailbox.post({ type: 'init' });
    return this.readyPromise;
  }

  /** Stops the children in reverse start order and resolves with the exit reason (`shutdown`). */
  stop(): Promise<ExitReason> {
    this.#mailbox.post({ type: 'stop' });
    return this.exited;
  }

  get state(): SupervisorState {
    return this.#state;
  }

  get exitReason(): ExitReason | null {
    return this.#exitReason;
  }

  // ---- management --------------------------------------------------------------------------------

  /** Sends a management request through the mailbox and settles with its reply as a typed error. */
  request(input: RequestInput, id: string): Promise<void> {
    const request = this.#nextRequest++;
    return new Promise<void>((resolve, reject) => {
      this.#requests.set(request, { resolve, reject, id });
      this.#mailbox.post({ ...input, request } as SupervisorInput);
      if (this.#exitReason !== null && this.#requests.has(request)) {
        this.#requests.delete(request);
        reject(new SupervisorStoppedError(this.name, this.#exitReason));
      }
    });
  }

  /** Calls `listener` once when the supervisor exits; returns a function that unsubscribes. */
  onExit(listener: (reason: ExitReason) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** The running actor of a worker child, if it runs now. */
  actorOf(id: string): ActorHandle | undefined {
    const r = this.#running.get(id);
    return r?.kind === 'worker' ? r.actor : undefined;
  }

  /** The running nested supervisor with this id, if it runs now. */
  supervisorOf(id: string): SupervisorProcess | undefined {
    const r = this.#running.get(id);
    return r?.kind === 'supervisor' ? r.sup : undefined;
  }

  whichChildren(): ChildInfo[] {
    return this.#state.children.order.map((id) => {
      const rec = this.#state.children.get(id)!;
      const info: ChildInfo = { id, type: rec.spec.type, status: rec.status };
      const actor = this.actorOf(id);
      if (actor !== undefined) info.threadId = actor.threadId;
      return info;
    });
  }

  countChildren(): ChildCounts {
    const counts: ChildCounts = { specs: 0, active: 0, supervisors: 0, workers: 0 };
    for (const id of this.#state.children.order) {
      const rec = this.#state.children.get(id)!;
      counts.specs += 1;
      if (rec.status === 'running') counts.active += 1;
      if (rec.spec.type === 'supervisor') counts.supervisors += 1;
      else counts.workers += 1;
    }
    return counts;
  }

  treeSnapshot(now: number): SupervisorTree {
    return { name: this.name, strategy: this.#state.flags.strategy, phase: this.#state.phase, children: this.#nodes(now) };
  }

  #nodes(now: number): TreeNode[] {
    return this.#state.children.order.map((id) => {
      const rec = this.#state.children.get(id)!;
      const node: TreeNode = { id, type: rec.spec.type, status: rec.status, restart: rec.spec.restart, restartCount: rec.restartCount };
      const actor = this.actorOf(id);
      if (actor !== undefined) node.threadId = actor.threadId;
      if (rec.status === 'running' && rec.startedAt !== undefined) node.uptimeMs = Math.max(0, now - rec.startedAt);
      if (rec.status === 'restarting' && rec.dueAt !== undefined) node.nextRestartInMs = Math.max(0, rec.dueAt - now);
      if (rec.lastExit !== undefined) node.lastExit = rec.lastExit;
      const nested = this.supervisorOf(id);
      if (rec.spec.type === 'supervisor') node.strategy = rec.spec.strategy;
      if (nested !== undefined) node.children = nested.#nodes(now);
      return node;
    });
  }

  // ---- the interpreter ---------------------------------------------------------------------------

  #handle(input: SupervisorInput): void {
    const { effects } = step(this.#state, input, this.tree.clock.now());
    for (const effect of effects) this.#effect(effect);
    if (this.tree.watchers.size > 0) for (const watcher of [...this.tree.watchers]) watcher();
  }

  #effect(fx: Effect): void {
    switch (fx.type) {
      case 'start':
        return this.#start(fx.id, fx.spec);
      case 'stop':
        return this.#stopChild(fx.id, fx.shutdown);
      case 'schedule': {
        const timer = this.tree.clock.setTimer(() => {
          this.#timers.delete(fx.key);
          this.#mailbox.post({ type: 'timer', key: fx.key });
        }, fx.delayMs);
        this.#timers.set(fx.key, timer);
        return;
      }
      case 'cancel': {
        this.tree.clock.clearTimer(this.#timers.get(fx.key));
        this.#timers.delete(fx.key);
        return;
      }
      case 'reply':
        return this.#reply(fx.request, fx.result);
      case 'ready':
        this.#isReady = true;
        this.#ready.resolve();
        return;
      case 'exit':
        return this.#exited(fx.reason, fx.failedChild);
      case 'report':
        return this.#report(fx.report);
    }
  }

  #start(id: string, spec: NormalizedChildSpec): void {
    const started = spec.type === 'worker' ? this.#startWorker(spec) : this.#startSupervisor(spec);
    const settled = started.then(
      (running) => {
        if (running === null) return this.#mailbox.post({ type: 'ignored', id });
        this.#running.set(id, running);
        exitOf(running).then((reason) => {
          this.#running.delete(id);
          // Once killed, the mailbox is closed: the exit is reported here so it stays visible.
          if (this.#killing) this.#report({ type: 'child_exited', id, spec, reason, requested: true });
          else this.#mailbox.post({ type: 'exited', id, reason });
        });
        // A supervisor killed while this child was starting must not leave it behind.
        if (this.#killing) return this.#kill(running);
        this.#mailbox.post({ type: 'started', id });
      },
      (error: unknown) => {
        // A worker's StartError already carries the worker's own error and stack; keep that, not our wrapper.
        const cause = spec.type === 'worker' && error instanceof StartError ? error.error : serializeError(error);
        const reason: ExitReason = { kind: 'start_failed', error: cause };
        this.#mailbox.post({ type: 'start_failed', id, reason });
      },
    );
    this.#inflight.add(settled);
    void settled.finally(() => this.#inflight.delete(settled));
  }

  async #startWorker(spec: NormalizedWorkerChildSpec): Promise<Running | null> {
    const path = this.path === '' ? spec.id : `${this.path}/${spec.id}`;
    const incarnation = (this.tree.incarnations.get(path) ?? 0) + 1;
    this.tree.incarnations.set(path, incarnation);
    const outcome = await this.tree.host.start({
      module: spec.module,
      args: spec.args,
      name: spec.name ?? spec.id,
      self: { path, incarnation },
      ...(spec.resourceLimits === undefined ? {} : { resourceLimits: spec.resourceLimits }),
      ...(spec.env === undefined ? {} : { env: spec.env }),
      ...(spec.execArgv === undefined ? {} : { execArgv: spec.execArgv }),
      ...(spec.heartbeatMs === undefined ? {} : { heartbeatMs: spec.heartbeatMs }),
      ...(spec.startTimeoutMs === undefined ? {} : { startTimeoutMs: spec.startTimeoutMs }),
      ...(spec.callTimeoutMs === undefined ? {} : { callTimeoutMs: spec.callTimeoutMs }),
    });
    return outcome.status === 'ignored' ? null : { kind: 'worker', actor: outcome.actor };
  }

  async #startSupervisor(spec: NormalizedSupervisorChildSpec): Promise<Running> {
    const path = this.path === '' ? spec.id : `${this.path}/${spec.id}`;
    const sup = new SupervisorProcess({ name: spec.name ?? `${this.name}/${spec.id}`, path, flags: spec, children: spec.children, tree: this.tree, root: false });
    await sup.start();
    return { kind: 'supervisor', sup };
  }

  #stopChild(id: string, shutdown: Shutdown): void {
    const running = this.#running.get(id);
    if (running === undefined) {
      throw new Error(`threadvisor: '${this.name}' was told to stop '${id}', which has no running incarnation`);
    }
    if (running.kind === 'worker') {
      void running.actor.stop({ kind: 'shutdown' }, { shutdown });
      return;
    }
    running.sup.stop();
    if (typeof shutdown === 'number' || shutdown === 'brutal_kill') {
      const ms = shutdown === 'brutal_kill' ? 0 : shutdown;
      const { clock } = this.tree;
      const timer = clock.setTimer(() => running.sup.kill(ms), ms);
      void running.sup.exited.then(() => clock.clearTimer(timer));
    }
  }

  /**
   * Ends this supervisor and its whole subtree at once (its parent's shutdown timeout ran out, or an
   * internal error): every thread below is terminated, each exit is reported, and once the last one is
   * gone the supervisor exits `killed`.
   */
  kill(afterMs: number): void {
    if (this.#exitReason !== null || this.#killing) return;
    this.#killing = true;
    this.#mailbox.close();
    for (const timer of this.#timers.values()) this.tree.clock.clearTimer(timer);
    this.#timers.clear();
    for (const running of this.#running.values()) this.#kill(running);
    void this.#subtreeGone().then(() => {
      const reason: ExitReason = { kind: 'killed', afterMs };
      abandonChildren(this.#state, reason);
      this.#report({ type: 'supervisor_exited', reason });
      this.#exited(reason);
    });
  }

  /** Settles once no start is in flight and every running child has exited. */
  async #subtreeGone(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    await Promise.all([...this.#running.values()].map(exitOf));
  }

  #kill(running: Running): void {
    if (running.kind === 'worker') void running.actor.stop({ kind: 'killed' }, { shutdown: 'brutal_kill' });
    else running.sup.kill(0);
  }

  #reply(request: number, result: ManagementResult): void {
    const pending = this.#requests.get(request);
    if (pending === undefined) return;
    this.#requests.delete(request);
    if (result.ok) return pending.resolve();
    pending.reject(managementError(this.name, pending.id, result, this.#state));
  }

  #exited(reason: ExitReason, failedChild?: string): void {
    if (this.#exitReason !== null) return;
    this.#exitReason = reason;
    this.#mailbox.close();
    for (const [request, pending] of this.#requests) {
      this.#requests.delete(request);
      pending.reject(new SupervisorStoppedError(this.name, reason));
    }
    if (!this.#isReady) {
      const error = reason.kind === 'start_failed'
        ? failedChild === undefined
          ? new StartError(this.name, reason.error)
          : new StartError(failedChild, reason.error, { supervisor: this.name })
        : new StartError(this.name, { name: 'SupervisorExited', message: `exited before it finished starting: ${reason.kind}` });
      this.#ready.reject(error);
    }
    this.#settleExit(reason);
    const listeners = [...this.#exitListeners];
    this.#exitListeners.clear();
    for (const listener of listeners) listener(reason);
  }

  /** The mailbox's handler threw: a broken invariant in the shell or the core. Fail loudly, contain the tree. */
  #crashed(error: unknown): void {
    this.tree.logger.error({ supervisor: this.name, context: 'internal_error', err: error }, 'supervisor crashed on a broken invariant; killing its subtree');
    this.kill(0);
  }

  // ---- observability -----------------------------------------------------------------------------

  /** Emits an event; a listener that throws is reported and never breaks the supervisor. */
  #emit<E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void {
    this.#guard(event, () => (this.tree.emitter.emit as (e: E, p: unknown) => boolean)(event, payload));
  }

  #guard(what: string, deliver: () => unknown): void {
    try {
      deliver();
    } catch (error) {
      // User code observing the tree must not be able to take the tree down with it.
      this.tree.logger.error({ supervisor: this.name, context: 'listener_error', event: what, err: error }, `a '${what}' listener threw; the supervisor carries on`);
    }
  }

  #report(r: Report): void {
    const { logger, metrics, tap } = this.tree;
    if (tap !== undefined) this.#guard('tap', () => tap(this.path, r, this.tree.clock.now()));
    const supervisor = this.name;
    switch (r.type) {
      case 'child_started': {
        metrics.childStarts += 1;
        // The core knows no threads: the shell adds the thread of the incarnation it just started.
        const threadId = this.actorOf(r.id)?.threadId;
        const base = { supervisor, id: r.id, restartCount: r.restartCount, ...(threadId === undefined ? {} : { threadId }) };
        this.#emit('child:started', { ...base, restart: r.restart });
        if (r.restart) {
          metrics.childRestarts += 1;
          this.#emit('child:restarted', base);
        }
        logReport(logger, supervisor, 'progress', null, offender(r.spec, threadId), `started ${r.id}`);
        return;
      }
      case 'child_exited': {
        const who = offender(r.spec);
        if (r.requested) {
          if (r.reason.kind === 'killed') {
            metrics.shutdownKills += 1;
            logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} did not stop within its shutdown timeout and was killed`);
          } else if (!isNormalExit(r.reason)) {
            // Asked to stop, it ended badly anyway (terminate threw, it hung, it ran out of memory).
            metrics.shutdownErrors += 1;
            logReport(logger, supervisor, 'shutdown_error', r.reason, who, `${r.id} failed while stopping`);
          }
        } else if (!isNormalExit(r.reason)) {
          metrics.childCrashes += 1;
          logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} crashed`);
        } else {
          logReport(logger, supervisor, 'child_terminated', r.reason, who, `child ${r.id} exited`);
        }
        this.#emit('child:exited', { supervisor, id: r.id, reason: r.reason, requested: r.requested });
        return;
      }
      case 'child_start_failed': {
        metrics.startFailures += 1;
        logReport(logger, supervisor, 'start_error', r.reason, offender(r.spec), `child ${r.id} failed to start`);
        this.#emit('child:start_failed', { supervisor, id: r.id, reason: r.reason });
        return;
      }
      case 'restart_scheduled':
        metrics.restartsScheduled += 1;
        if (r.delayMs > 0) logger.warn({ supervisor, context: 'backoff', children: r.children, delayMs: r.delayMs, attempt: r.attempt }, `restarting ${r.children.join(', ')} in ${r.delayMs} ms`);
        this.#emit('restart:scheduled', { supervisor, trigger: r.trigger, children: r.children, delayMs: r.delayMs, attempt: r.attempt });
        return;
      case 'intensity_exceeded':
        metrics.intensityExceeded += 1;
        logReport(logger, supervisor, 'shutdown', { kind: 'max_intensity', supervisor, maxRestarts: r.maxRestarts, periodMs: r.periodMs, lastReason: r.reason }, null,
          `supervisor ${supervisor} would exceed its restart intensity (${r.maxRestarts} in ${r.periodMs} ms) and shuts down`);
        this.#emit('intensity:exceeded', { supervisor, trigger: r.trigger, reason: r.reason, maxRestarts: r.maxRestarts, periodMs: r.periodMs });
        return;
      case 'supervisor_exited':
        if (r.reason.kind === 'max_intensity') this.#emit('escalated', { supervisor, reason: r.reason, root: this.#isRoot });
        this.#emit('supervisor:stopped', { supervisor, reason: r.reason });
        return;
      case 'child_starting':
      case 'child_ignored':
      case 'child_stopping':
      case 'restart_cancelled':
      case 'child_removed':
        return;
    }
  }
}

function exitOf(running: Running): Promise<ExitReason> {
  return running.kind === 'worker' ? running.actor.exited : running.sup.exited;
}

function managementError(name: string, id: string, result: Extract<ManagementResult, { ok: false }>, state: SupervisorState): Error {
  switch (result.error) {
    case 'not_found':
      return new ChildNotFoundError(id);
    case 'running':
      return new ChildRunningError(id);
    case 'restarting':
      return new ChildRestartingError(id);
    case 'already_present':
      return new AlreadyPresentError(id);
    case 'max_children':
      return new MaxChildrenError(state.dynamic?.maxChildren ?? 0);
    case 'stopped':
      return new SupervisorStoppedError(name, state.exitReason ?? undefined);
    case 'start_failed': {
      const r = result.reason;
      return new StartError(id, r.kind === 'start_failed' ? r.error : { name: 'StartError', message: `start ended with ${r.kind}` });
    }
  }
}
