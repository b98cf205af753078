/**
 * The shell around the pure core: a mailbox feeding `step`, and an interpreter that carries out its
 * effects with live children (through `LiveChild` adapters), real timers and real promises. Reports go
 * to the tree's sink, introspection reads `query`, refs and handles walk the tree through it.
 */
import { step } from '../core/machine.js';
import { abandonChildren, createSupervisorState, type SupervisorState } from '../core/state.js';
import type { Effect, Report, SupervisorInput } from '../core/events.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { DynamicChildren, NormalizedChildSpec, Shutdown } from '../core/child-spec.js';
import type { Backoff } from '../core/backoff.js';
import type { NormalizedFlags } from '../core/supervisor-flags.js';
import { StartError } from '../errors.js';
import type { DeliveredReport } from '../observability/delivered-report.js';
import { Mailbox } from './mailbox.js';
import type { LiveChild } from './live-child.js';
import { startLiveChild } from './starters.js';
import { createQuery, type SupervisorQuery } from './query.js';
import { Requests } from './requests.js';
import type { TreeContext } from './tree-context.js';

export type { TreeContext } from './tree-context.js';

type WithoutRequest<T> = T extends unknown ? Omit<T, 'request'> : never;
/** A management request before the mailbox numbers it. */
type RequestInput = WithoutRequest<Extract<SupervisorInput, { request: number }>>;

/** How to create one supervisor process. */
export interface ProcessOptions {
  /** Names it in events, logs and errors (`'root'`, `'root/jobs'`). */
  name: string;
  /** Strategy, intensity, backoff and auto-shutdown, defaults filled in. */
  flags: NormalizedFlags;
  /** Its children in start order (none for a dynamic supervisor). */
  children: readonly NormalizedChildSpec[];
  /** What it shares with the rest of its tree. */
  tree: TreeContext;
  /** Whether it is its tree's root (events say so when it escalates). */
  root: boolean;
  /** Where it sits in the tree. @default '' (the root) */
  path?: string;
  /** Set for a dynamic supervisor: its template and cap. @default null */
  dynamic?: DynamicChildren | null;
}

/**
 * One supervisor, running: the core's state, its mailbox, and the live children. The public handles
 * wrap the root one; nested supervisors are reached through `query.live(id).supervisor`.
 * @internal
 */
export class SupervisorProcess {
  /** Names it in events, logs and errors. */
  readonly name: string;
  /** Where it sits in the tree: `''` for the root, then child ids joined by `/`. */
  readonly path: string;
  /** What it shares with the rest of its tree. */
  readonly tree: TreeContext;
  /** Whether it is its tree's root. */
  readonly root: boolean;
  /** Its template and cap, for a dynamic supervisor; `null` for a static one. */
  readonly dynamic: DynamicChildren | null;
  /** The read-only view everything outside the process reads. */
  readonly query: SupervisorQuery;
  readonly #state: SupervisorState;
  readonly #mailbox: Mailbox<SupervisorInput>;
  readonly #live = new Map<string, LiveChild>();
  /** The thread of a child's incarnation that just ended or failed to start, until its report is delivered. */
  readonly #endedThreads = new Map<string, number>();
  readonly #timers = new Map<number, unknown>();
  readonly #requests: Requests;
  #ready!: { resolve: () => void; reject: (e: Error) => void };
  readonly #readyPromise: Promise<void>;
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

  /** Its default backoff, which a pool child's thread replacements inherit (as its workers' restarts do). */
  readonly #backoff: Backoff | null;

  constructor(options: ProcessOptions) {
    this.name = options.name;
    this.path = options.path ?? '';
    this.tree = options.tree;
    this.root = options.root;
    this.dynamic = options.dynamic ?? null;
    this.#backoff = options.flags.backoff;
    this.#state = createSupervisorState({ name: options.name, flags: options.flags, children: options.children, random: options.tree.random, dynamic: this.dynamic });
    this.query = createQuery(this.#state, this.#live, () => this.#exitReason);
    this.#requests = new Requests(options.name);
    this.#readyPromise = new Promise<void>((resolve, reject) => (this.#ready = { resolve, reject }));
    this.exited = new Promise<ExitReason>((resolve) => (this.#settleExit = resolve));
    this.#mailbox = new Mailbox<SupervisorInput>(
      (input) => this.#handle(input),
      (error) => this.#crashed(error),
    );
    // Names and paths resolve from the root, for refs and for the threads of the tree alike; a nested
    // supervisor is reachable by its path from its creation, before its parent counts it as started.
    if (options.root) options.tree.registry.attach(this);
    options.tree.registry.supervisorCreated(this);
  }

  /** Starts the children in order; resolves once all run, rejects with `StartError` naming the failed child. */
  start(): Promise<void> {
    this.#mailbox.post({ type: 'init' });
    return this.#readyPromise;
  }

  /** Stops the children in reverse start order and resolves with the exit reason (`shutdown`). */
  stop(): Promise<ExitReason> {
    this.#mailbox.post({ type: 'stop' });
    return this.exited;
  }

  /** Its exit reason once it has exited, else `null`. */
  get exitReason(): ExitReason | null {
    return this.#exitReason;
  }

  /** Sends a management request through the mailbox and settles with its reply as a typed error. */
  request(input: RequestInput, id: string): Promise<void> {
    return this.#requests.open(id, (request) => {
      this.#mailbox.post({ ...input, request } as SupervisorInput);
      // Posted after the exit, it was dropped by the closed mailbox: answer it here.
      if (this.#exitReason !== null && this.#requests.waiting(request)) this.#requests.rejectStopped(this.#exitReason, request);
    });
  }

  /** Calls `listener` once when the supervisor exits; returns a function that unsubscribes. */
  onExit(listener: (reason: ExitReason) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
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
      case 'kill':
        return this.#killChild(fx.id, fx.afterMs);
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
        return this.#requests.reply(fx.request, fx.result, { maxChildren: this.dynamic?.maxChildren ?? 0, exitReason: this.#state.exitReason });
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
    const path = this.path === '' ? id : `${this.path}/${id}`;
    const started = startLiveChild(spec, { tree: this.tree, path, parentName: this.name, backoff: this.#backoff, nest: (options) => new SupervisorProcess(options) });
    const settled = started.then((outcome) => {
      if (outcome.status === 'ignored') return this.#mailbox.post({ type: 'ignored', id });
      if (outcome.status === 'failed') {
        if (outcome.threadId !== undefined) this.#endedThreads.set(id, outcome.threadId);
        return this.#mailbox.post({ type: 'start_failed', id, reason: { kind: 'start_failed', error: outcome.error } });
      }
      const child = outcome.child;
      this.#live.set(id, child);
      void child.exited.then((reason) => {
        // Kept for the exit's report, which the core makes after the child has left `#live`.
        const threads = child.threadIds();
        if (threads.length === 1) this.#endedThreads.set(id, threads[0]!);
        this.#live.delete(id);
        // Once killed, the mailbox is closed: the exit is reported here so it stays visible.
        if (this.#killing) this.#report({ type: 'child_exited', id, spec, reason, requested: true });
        else this.#mailbox.post({ type: 'exited', id, reason });
      });
      // A supervisor killed while this child was starting must not leave it behind.
      if (this.#killing) return child.kill(0);
      this.#mailbox.post({ type: 'started', id });
    });
    this.#inflight.add(settled);
    void settled.finally(() => this.#inflight.delete(settled));
  }

  #stopChild(id: string, shutdown: Shutdown): void {
    const child = this.#live.get(id);
    if (child === undefined) {
      throw new Error(`threadvisor: '${this.name}' was told to stop '${id}', which has no running incarnation`);
    }
    child.stop(shutdown);
  }

  #killChild(id: string, afterMs: number): void {
    const child = this.#live.get(id);
    if (child === undefined) {
      throw new Error(`threadvisor: '${this.name}' was told to kill '${id}', which has no running incarnation`);
    }
    child.kill(afterMs);
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
    void this.#killChildren().then(() => {
      const reason: ExitReason = { kind: 'killed', afterMs };
      abandonChildren(this.#state, reason);
      this.#report({ type: 'supervisor_exited', reason });
      this.#exited(reason);
    });
  }

  /**
   * Kills the running children one at a time in reverse start order, each once the one before is gone,
   * then whatever was still starting as it lands. One at a time, so the subtree's exits are reported in
   * one order (depth first, as the simulator reports them) whatever order terminated threads end in.
   */
  async #killChildren(): Promise<void> {
    for (const id of [...this.#state.children.order].reverse()) {
      const child = this.#live.get(id);
      if (child === undefined) continue;
      child.kill(0);
      await child.exited;
    }
    for (const child of this.#live.values()) child.kill(0);
    await this.#subtreeGone();
  }

  /** Settles once no start is in flight and every running child has exited. */
  async #subtreeGone(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    await Promise.all([...this.#live.values()].map((child) => child.exited));
  }

  #exited(reason: ExitReason, failedChild?: string): void {
    if (this.#exitReason !== null) return;
    this.#exitReason = reason;
    this.#mailbox.close();
    this.#requests.rejectStopped(reason);
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

  /** Hands a report to the tree's consumers, with what only the shell knows: who, where, when, which thread. */
  #report(report: Report): void {
    const delivered: DeliveredReport = { supervisor: this.name, path: this.path, root: this.root, at: this.tree.clock.now(), report };
    if (report.type === 'child_started') {
      // The core knows no threads: the shell adds the thread of the incarnation it just started.
      const threads = this.#live.get(report.id)?.threadIds();
      if (threads?.length === 1) delivered.threadId = threads[0]!;
    } else if (report.type === 'child_exited' || report.type === 'child_start_failed') {
      // ...and of the incarnation that ended or failed to start, so a crash log names the thread it ran in.
      const threadId = this.#endedThreads.get(report.id);
      this.#endedThreads.delete(report.id);
      if (threadId !== undefined) delivered.threadId = threadId;
    }
    this.tree.reports.deliver(delivered);
  }
}
