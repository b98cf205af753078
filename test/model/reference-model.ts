/**
 * The independent reference model of docs/semantics.md.
 *
 * It runs a supervision tree against a fault schedule under a virtual clock and returns the trace. It
 * shares no code with `src/core/` on purpose (only types are imported): the property tests compare the
 * engine's trace with this one, so two implementations written from the same page must agree. It favours
 * being obviously correct over being fast:
 *
 * - one global queue of `(time, seq, action)`, FIFO among equal times;
 * - one object per supervisor incarnation, with at most one *operation* in progress (a generator that
 *   yields what it waits for: a start result or a child's exit) and a list of deferred inputs;
 * - one object per worker path simulating the thread (start/stop durations, failing starts, hangs).
 *
 * Timing rules this model fixes (each is listed in the report as a reading of the page):
 * - Asynchronous completions always go through the queue, even at delay 0: a worker's start finishing,
 *   a worker's exit after a stop request (`brutal_kill` included), heartbeat detection of a hang, restart
 *   timers, and every notification between a parent and a nested supervisor (start, started/start
 *   failed, stop request, exit).
 * - A fault's effect is part of the fault's event: a crashing worker's supervisor sees the exit then.
 * - A supervisor that finishes an operation handles its deferred inputs right away, in arrival order.
 */
import type { ExitReasonKind } from '../../src/protocol/exit-reason.js';
import type { ChildSpec, Shutdown } from '../../src/core/child-spec.js';
import type { AutoShutdown, Strategy, SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { ChildPath, Fault, SimulatedCrashReason, SimulationOptions, TraceEvent } from '../../src/testing/types.js';

/* ----------------------------------------------------------------------------------------------------
 * Public surface
 * -------------------------------------------------------------------------------------------------- */

/** What a model run returns. */
export interface ModelResult {
  /** Every trace event, in the order they happened. */
  trace: TraceEvent[];
  /** The root supervisor's exit reason, or `null` if it never exited. */
  exited: ExitReasonKind | null;
  /** Paths (workers and supervisors, root as `''`) still running when the queue ran dry; must be empty. */
  running: string[];
  /** Restart timers still registered (neither fired nor cancelled) when the queue ran dry; must be 0. */
  pendingTimers: number;
}

/** Options of a model run. */
export type ModelOptions = SimulationOptions & {
  /** The random source for backoff jitter. @default mulberry32(seed ?? 1) */
  random?: () => number;
  /** Guards against a model bug looping forever: throw after this many queue events. @default 1_000_000 */
  maxEvents?: number;
};

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). Deterministic across platforms. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/* ----------------------------------------------------------------------------------------------------
 * Defaults (written here, not imported, so a wrong default in the engine shows up as a trace diff)
 * -------------------------------------------------------------------------------------------------- */

type RestartType = 'permanent' | 'transient' | 'temporary';
type BackoffInput = Exclude<SupervisorSpec['backoff'], false | undefined>;

/** Backoff with every default filled in. */
export interface ModelBackoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
  resetAfterMs: number;
}

/** A child as the model sees it: defaults filled, the backoff it restarts with resolved. */
export interface ModelChild {
  id: string;
  kind: 'worker' | 'supervisor';
  restart: RestartType;
  shutdown: Shutdown;
  significant: boolean;
  /** The backoff used when this child restarts in its parent (`null`: none). */
  backoff: ModelBackoff | null;
  /** The nested supervisor's own spec (`kind === 'supervisor'` only). */
  sup: ModelSpec | undefined;
}

/** A supervisor as the model sees it. */
export interface ModelSpec {
  strategy: Strategy;
  maxRestarts: number;
  periodMs: number;
  /** Default backoff of this supervisor's children. */
  backoff: ModelBackoff | null;
  autoShutdown: AutoShutdown;
  children: ModelChild[];
}

function fillBackoff(b: BackoffInput): ModelBackoff {
  return {
    initialMs: b.initialMs,
    maxMs: b.maxMs,
    factor: b.factor ?? 2,
    jitter: b.jitter ?? 0,
    resetAfterMs: b.resetAfterMs ?? 30_000,
  };
}

/** Fills the defaults of docs/semantics.md into a spec (the model's own normalization, shared with the invariants). */
export function normalizeModelSpec(spec: SupervisorSpec): ModelSpec {
  const backoff = spec.backoff === undefined || spec.backoff === false ? null : fillBackoff(spec.backoff);
  return {
    strategy: spec.strategy ?? 'one_for_one',
    maxRestarts: spec.maxRestarts ?? 3,
    periodMs: spec.periodMs ?? 5000,
    backoff,
    autoShutdown: spec.autoShutdown ?? 'never',
    children: spec.children.map((c) => normalizeChild(c, backoff)),
  };
}

function normalizeChild(c: ChildSpec, parentBackoff: ModelBackoff | null): ModelChild {
  const common = { id: c.id, restart: c.restart ?? 'permanent', significant: c.significant ?? false };
  if (c.type === 'worker') {
    // A worker's own backoff overrides its supervisor's; `false` means none at all.
    const backoff = c.backoff === undefined ? parentBackoff : c.backoff === false ? null : fillBackoff(c.backoff);
    return { ...common, kind: 'worker', shutdown: c.shutdown ?? 5000, backoff, sup: undefined };
  }
  if (c.type === 'dynamic_supervisor') {
    throw new Error(`reference model: dynamic supervisor child '${c.id}' is not modelled (its children come at run time)`);
  }
  if (c.type === 'pool') {
    throw new Error(`reference model: pool child '${c.id}' is not modelled (its threads and jobs are the pool's own, tested in test/pool)`);
  }
  // The page defines how a supervisor child stops only with 'infinity' (it stops its subtree first);
  // refusing anything else beats silently inventing a semantics for a killed subtree.
  if (c.shutdown !== undefined && c.shutdown !== 'infinity') {
    throw new Error(`reference model: supervisor child '${c.id}' must have shutdown 'infinity'; given ${String(c.shutdown)}`);
  }
  // A nested supervisor restarts with its parent's backoff; its own backoff is for its children.
  return { ...common, kind: 'supervisor', shutdown: 'infinity', backoff: parentBackoff, sup: normalizeModelSpec(c) };
}

/** OTP's normal exits: `normal`, `shutdown` (and `{shutdown, _}`, which has kind `shutdown`). */
export function isAbnormal(reason: ExitReasonKind): boolean {
  return reason !== 'normal' && reason !== 'shutdown';
}

/** `min(maxMs, initialMs * factor^(attempt-1))`, the un-jittered delay of restart number `attempt`. */
export function baseBackoffDelay(b: ModelBackoff, attempt: number): number {
  // initialMs 0 times an overflowed power would be NaN; zero stays zero.
  if (b.initialMs === 0) return 0;
  return Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, attempt - 1));
}

/* ----------------------------------------------------------------------------------------------------
 * The virtual clock and its queue
 * -------------------------------------------------------------------------------------------------- */

interface Scheduled {
  t: number;
  seq: number;
  action: () => void;
}

/** A time-ordered queue, FIFO among equal times (a sorted array: slow is fine, clear is better). */
class EventQueue {
  private readonly items: Scheduled[] = [];
  private seq = 0;

  push(t: number, action: () => void): void {
    // Insert after every item due at or before `t`: equal times keep arrival order.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.t <= t) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, { t, seq: this.seq++, action });
  }

  pop(): Scheduled | undefined {
    return this.items.shift();
  }
}

type EventWithoutTime = TraceEvent extends infer E ? (E extends unknown ? Omit<E, 't'> : never) : never;

/** Everything shared by one run: the clock, the queue, the trace, the random source. */
class World {
  now = 0;
  readonly queue = new EventQueue();
  readonly trace: TraceEvent[] = [];
  readonly workers = new Map<ChildPath, SimWorker>();
  readonly supervisors: Supervisor[] = [];
  /** Restart groups whose timer is set and has neither been handled nor cancelled. */
  readonly liveTimers = new Set<RestartGroup>();
  rootExit: ExitReasonKind | null = null;

  constructor(
    readonly random: () => number,
    readonly hangDetectMs: number,
  ) {}

  emit(event: EventWithoutTime): void {
    this.trace.push({ t: this.now, ...event } as TraceEvent);
  }

  at(t: number, action: () => void): void {
    this.queue.push(t, action);
  }

  /** Through the queue at the current time: after whatever is already due now. */
  soon(action: () => void): void {
    this.queue.push(this.now, action);
  }

  worker(path: ChildPath): SimWorker {
    let w = this.workers.get(path);
    if (!w) {
      w = new SimWorker(this, path);
      this.workers.set(path, w);
    }
    return w;
  }
}

/* ----------------------------------------------------------------------------------------------------
 * Simulated workers
 * -------------------------------------------------------------------------------------------------- */

/**
 * The simulated thread at one path. Its fault settings (start/stop durations, failing starts) belong to
 * the path and survive restarts; `life` changes on every start and exit so stale queue events are ignored.
 */
class SimWorker {
  startMs = 0;
  stopMs = 0;
  failStarts = 0;
  alive = false;
  hung = false;
  /** The shutdown it was asked to stop with: from then on only that (or, with infinity, the heartbeat) ends a hang. */
  stopping: Shutdown | null = null;
  private life = 0;
  private owner: Supervisor | null = null;
  private childId = '';

  constructor(
    private readonly world: World,
    readonly path: ChildPath,
  ) {}

  /** Begins a start attempt for `owner`; the outcome is decided now and delivered after `startMs`. */
  start(owner: Supervisor, childId: string): void {
    if (this.alive) throw new Error(`reference model bug: start requested for running worker ${this.path}`);
    const fails = this.failStarts > 0;
    if (fails) this.failStarts -= 1;
    this.owner = owner;
    this.childId = childId;
    this.world.at(this.world.now + this.startMs, () => {
      if (!fails) {
        this.alive = true;
        this.hung = false;
        this.stopping = null;
        this.life += 1;
      }
      owner.input({ kind: 'start_result', child: childId, ok: !fails });
    });
  }

  /** The supervisor asks the thread to stop, with the child's `shutdown`. */
  requestStop(shutdown: Shutdown): void {
    if (!this.alive) throw new Error(`reference model bug: stop requested for dead worker ${this.path}`);
    const life = this.life;
    const current = (): boolean => this.alive && this.life === life;
    this.stopping = shutdown;
    if (shutdown === 'brutal_kill') {
      this.world.soon(() => current() && this.exit('killed'));
      return;
    }
    // A hung thread never runs its terminate; only the timeout (or the heartbeat) ends it.
    if (!this.hung) this.world.at(this.world.now + this.stopMs, () => current() && !this.hung && this.exit('shutdown'));
    if (typeof shutdown === 'number') this.world.at(this.world.now + shutdown, () => current() && this.exit('killed'));
  }

  crash(reason: SimulatedCrashReason | 'normal'): void {
    // A hung worker is still running, so a fault aimed at it still ends it ("faults aimed at a child
    // that is not running do nothing"; a hung one is running). A stopping one too: it has not exited yet.
    if (this.alive) this.exit(reason);
  }

  hang(): void {
    // A thread already asked to stop is past the heartbeat's watch (semantics: "Stopping a child").
    if (!this.alive || this.hung || this.stopping !== null) return;
    this.hung = true;
    const life = this.life;
    // Once asked to stop with a timeout, the timeout decides; with infinity the heartbeat still does.
    const watched = () => this.stopping === null || this.stopping === 'infinity';
    this.world.at(this.world.now + this.world.hangDetectMs, () => this.alive && this.life === life && watched() && this.exit('hung'));
  }

  private exit(reason: ExitReasonKind): void {
    this.alive = false;
    this.hung = false;
    this.life += 1;
    this.owner!.input({ kind: 'exit', child: this.childId, reason });
  }
}

/* ----------------------------------------------------------------------------------------------------
 * Supervisors
 * -------------------------------------------------------------------------------------------------- */

/** An input to a supervisor: what sits in its mailbox. */
type Input =
  | { kind: 'exit'; child: string; reason: ExitReasonKind }
  | { kind: 'start_result'; child: string; ok: boolean }
  | { kind: 'timer'; group: RestartGroup }
  | { kind: 'stop' }
  /** A management request: `terminateChild(child)` ("Management requests"). */
  | { kind: 'terminate_child'; child: string };

/** What an operation waits for. */
type Wait = { kind: 'start'; child: string } | { kind: 'exit'; child: string };

/** An operation: a generator resumed with `boolean` (start ok) or `ExitReasonKind` (exit reason). */
type OpGen<R = void> = Generator<Wait, R, unknown>;

interface Operation {
  gen: OpGen;
  waiting: Wait | null;
  /** Children this operation is about to stop: their exits count as that stop. */
  stopSet: Set<string>;
}

interface ChildState {
  spec: ModelChild;
  /** The supervisor's view: a child whose exit sits in the deferred list is still `running` here. */
  status: 'stopped' | 'starting' | 'running' | 'stopping';
  /** Restart attempts for backoff (reset after a long enough run). */
  attempts: number;
  /** When the current run began (`started`); `undefined` when not running. */
  startedAt: number | undefined;
}

/** A group of children waiting to restart, due at a time. */
interface RestartGroup {
  members: Set<string>;
  due: number;
  cancelled: boolean;
}

class Supervisor {
  private readonly children: ChildState[];
  private stamps: number[] = [];
  private pending: RestartGroup[] = [];
  private op: Operation | null = null;
  private deferred: Input[] = [];
  /** Current incarnations of nested supervisor children, by child id. */
  private readonly nested = new Map<string, Supervisor>();
  private initialized = false;
  alive = true;

  constructor(
    private readonly world: World,
    readonly path: ChildPath,
    private readonly parent: Supervisor | null,
    private readonly idInParent: string,
    private readonly spec: ModelSpec,
  ) {
    this.children = spec.children.map((c) => ({ spec: c, status: 'stopped', attempts: 0, startedAt: undefined }));
    world.supervisors.push(this);
  }

  /* ---- the mailbox ---------------------------------------------------------------------------- */

  input(i: Input): void {
    if (!this.alive) return;
    if (this.op) {
      const w = this.op.waiting;
      if (i.kind === 'start_result') {
        if (w?.kind !== 'start' || w.child !== i.child) throw this.bug(`unexpected start result of ${i.child}`);
        this.advance(i.ok);
        return;
      }
      if (i.kind === 'exit') {
        if (w?.kind === 'exit' && w.child === i.child) {
          this.advance(i.reason);
          return;
        }
        if (this.op.stopSet.has(i.child)) {
          // An exit of a child this operation is about to stop counts as that stop.
          this.op.stopSet.delete(i.child);
          this.recordStopped(this.find(i.child), i.reason);
          return;
        }
      }
      this.deferred.push(i);
      return;
    }
    this.handle(i);
  }

  private handle(i: Input): void {
    switch (i.kind) {
      case 'exit':
        this.onOwnExit(this.find(i.child), i.reason);
        return;
      case 'timer':
        if (i.group.cancelled) return;
        this.pending = this.pending.filter((g) => g !== i.group);
        this.world.liveTimers.delete(i.group);
        this.begin(this.startGroup(this.inStartOrder(i.group.members)));
        return;
      case 'stop':
        this.begin(this.shutdown());
        return;
      case 'terminate_child':
        this.terminateChild(i.child);
        return;
      case 'start_result':
        throw this.bug(`start result of ${i.child} with no start in progress`);
    }
  }

  /** Starts an operation (the root's and nested supervisors' init included). */
  begin(gen: OpGen): void {
    if (this.op) throw this.bug('an operation began while another runs');
    this.op = { gen, waiting: null, stopSet: new Set() };
    this.advance(undefined);
  }

  private advance(value: unknown): void {
    const op = this.op!;
    const r = op.gen.next(value);
    if (!r.done) {
      op.waiting = r.value;
      return;
    }
    this.op = null;
    // Mailbox order: what waited during the operation is handled now, oldest first.
    while (this.alive && !this.op && this.deferred.length > 0) this.handle(this.deferred.shift()!);
  }

  /* ---- operations ----------------------------------------------------------------------------- */

  /** Starting a supervisor: children one at a time; a failure stops the started ones and exits. */
  *init(): OpGen {
    for (const c of [...this.children]) {
      const ok = yield* this.startOne(c);
      if (!ok) {
        yield* this.stopSequence(this.runningReversed());
        this.exit('start_failed');
        return;
      }
    }
    this.initialized = true;
    const parent = this.parent;
    if (parent) this.world.soon(() => parent.input({ kind: 'start_result', child: this.idInParent, ok: true }));
  }

  /** `stop()`, a parent's stop request, or an auto-shutdown: cancel restarts, stop all, exit. */
  private *shutdown(): OpGen {
    this.cancelAllPending();
    yield* this.stopSequence(this.runningReversed());
    this.exit('shutdown');
  }

  /** Intensity exceeded: cancel restarts, stop all, exit `max_intensity`. */
  private *escalate(): OpGen {
    this.world.emit({ sup: this.path, type: 'intensity_exceeded' });
    this.cancelAllPending();
    yield* this.stopSequence(this.runningReversed());
    this.exit('max_intensity');
  }

  /** A restart decided on an exit: stop the siblings, then start the group if it is due at once. */
  private *stopThenMaybeStart(stops: string[], startNow: string[] | null): OpGen {
    yield* this.stopSequence(stops);
    if (startNow) yield* this.startGroup(startNow);
  }

  /** Restarting a group: members one at a time in start order; a failed start is a new restart. */
  private *startGroup(members: string[]): OpGen {
    for (let i = 0; i < members.length; i++) {
      const c = this.find(members[i]!);
      if (c.status !== 'stopped') throw this.bug(`group member ${c.spec.id} is ${c.status}`);
      const ok = yield* this.startOne(c);
      if (ok) continue;
      if (!this.addRestart()) {
        yield* this.escalate();
        return;
      }
      const retry =
        this.spec.strategy === 'one_for_one' ? [c.spec.id] : this.spec.strategy === 'rest_for_one' ? members.slice(i) : members;
      const stops = this.spec.strategy === 'one_for_all' ? this.runningReversed() : [];
      const delay = this.nextDelay(c, undefined);
      // A retry always goes through a timer, even at delay 0, so the mailbox is served in between.
      this.decideGroup(retry, delay, true);
      yield* this.stopSequence(stops);
      return;
    }
  }

  /** Starts one child and waits for the outcome. */
  private *startOne(c: ChildState): OpGen<boolean> {
    const id = c.spec.id;
    this.world.emit({ sup: this.path, type: 'start', child: id });
    c.status = 'starting';
    const path = this.childPath(id);
    if (c.spec.kind === 'worker') {
      this.world.worker(path).start(this, id);
    } else {
      const nested = new Supervisor(this.world, path, this, id, c.spec.sup!);
      this.nested.set(id, nested);
      this.world.soon(() => nested.begin(nested.init()));
    }
    const ok = (yield { kind: 'start', child: id }) as boolean;
    if (ok) {
      this.world.emit({ sup: this.path, type: 'started', child: id });
      c.status = 'running';
      c.startedAt = this.world.now;
    } else {
      this.world.emit({ sup: this.path, type: 'start_failed', child: id });
      c.status = 'stopped';
      c.startedAt = undefined;
      this.nested.delete(id);
    }
    return ok;
  }

  /** Stops children one at a time, in the order given (callers pass reverse start order). */
  private *stopSequence(ids: string[]): OpGen {
    const op = this.op!;
    for (const id of ids) op.stopSet.add(id);
    for (const id of ids) {
      if (!op.stopSet.has(id)) continue; // it exited on its own while an earlier one was stopping
      const c = this.find(id);
      const early = this.takeDeferredExit(id);
      if (early) {
        // Its exit arrived before this operation began (OTP's monitor_child finds the EXIT in the
        // mailbox): it counts as the stop, and the child is not asked.
        op.stopSet.delete(id);
        this.recordStopped(c, early.reason);
        continue;
      }
      this.world.emit({ sup: this.path, type: 'stop', child: id });
      c.status = 'stopping';
      this.requestStop(c);
      const reason = (yield { kind: 'exit', child: id }) as ExitReasonKind;
      op.stopSet.delete(id);
      this.recordStopped(c, reason);
    }
  }

  /* ---- decisions ------------------------------------------------------------------------------ */

  /**
   * "Management requests", `terminateChild(id)`: an unknown child is `not_found` (nothing happens); a running
   * one is stopped (a temporary one then removed); one waiting for its restart cancels the restart of its
   * whole group at once: every member stays stopped with its spec kept and the group's timer is cancelled.
   * A stopped one stays stopped. Never counted toward intensity, never an auto-shutdown.
   */
  private terminateChild(id: string): void {
    const c = this.children.find((x) => x.spec.id === id);
    if (!c) return;
    if (c.status === 'running') {
      this.begin(this.stopSequence([id]));
      return;
    }
    const group = this.pending.find((g) => g.members.has(id));
    if (group) this.cancel(group);
  }

  /** The current incarnation of the nested supervisor `id`, if it is started (or starting). */
  nestedSupervisor(id: string): Supervisor | undefined {
    return this.nested.get(id);
  }

  /** "A child exits on its own", steps 1 to 7. */
  private onOwnExit(c: ChildState, reason: ExitReasonKind): void {
    if (c.status !== 'running') throw this.bug(`exit of ${c.spec.id} while ${c.status}`);
    this.world.emit({ sup: this.path, type: 'exited', child: c.spec.id, reason });
    const ranFor = c.startedAt === undefined ? undefined : this.world.now - c.startedAt;
    c.status = 'stopped';
    c.startedAt = undefined;
    this.nested.delete(c.spec.id);

    const restart = c.spec.restart === 'permanent' || (c.spec.restart === 'transient' && isAbnormal(reason));
    if (!restart) {
      if (c.spec.restart === 'temporary') this.remove(c);
      if (c.spec.significant && this.autoShutdownDue()) this.begin(this.shutdown());
      return;
    }
    if (!this.addRestart()) {
      this.begin(this.escalate());
      return;
    }
    const { group, stops } = this.strategyFor(c);
    const delay = this.nextDelay(c, ranFor);
    const startNow = this.decideGroup(group, delay, false);
    if (stops.length > 0 || startNow) this.begin(this.stopThenMaybeStart(stops, startNow));
  }

  private autoShutdownDue(): boolean {
    if (this.spec.autoShutdown === 'any_significant') return true;
    if (this.spec.autoShutdown === 'never') return false;
    return !this.children.some(
      (ch) => ch.spec.significant && (ch.status !== 'stopped' || this.pending.some((g) => g.members.has(ch.spec.id))),
    );
  }

  /** OTP's add_restart: stamp now, forget stamps older than the period, refuse past maxRestarts. */
  private addRestart(): boolean {
    const now = this.world.now;
    this.stamps = this.stamps.filter((s) => now - s <= this.spec.periodMs);
    this.stamps.push(now);
    return this.stamps.length <= this.spec.maxRestarts;
  }

  /** The group to restart and the running siblings to stop (reverse start order). */
  private strategyFor(c: ChildState): { group: string[]; stops: string[] } {
    const ids = (cs: ChildState[]) => cs.map((x) => x.spec.id);
    const nonTemporary = (cs: ChildState[]) => cs.filter((x) => x.spec.restart !== 'temporary');
    const running = (cs: ChildState[]) => cs.filter((x) => x.status === 'running').reverse();
    switch (this.spec.strategy) {
      case 'one_for_one':
        return { group: [c.spec.id], stops: [] };
      case 'one_for_all':
        return { group: ids(nonTemporary(this.children)), stops: ids(running(this.children.filter((x) => x !== c))) };
      case 'rest_for_one': {
        const after = this.children.slice(this.children.indexOf(c) + 1);
        return { group: [c.spec.id, ...ids(nonTemporary(after))], stops: ids(running(after)) };
      }
    }
  }

  /** Step 6: the backoff delay for `c`'s restart; counts the attempt even without backoff. */
  private nextDelay(c: ChildState, ranFor: number | undefined): number {
    const b = c.spec.backoff;
    const resetAfterMs = b ? b.resetAfterMs : 30_000;
    if (ranFor !== undefined && ranFor >= resetAfterMs) c.attempts = 0;
    c.attempts += 1;
    if (!b) return 0;
    let delay = baseBackoffDelay(b, c.attempts);
    if (b.jitter > 0) delay = Math.min(b.maxMs, delay * (1 + b.jitter * (2 * this.world.random() - 1)));
    return Math.round(delay);
  }

  /**
   * Registers a restart group (merging with waiting groups that share children), emits
   * `restart_scheduled`, and either returns the members to start at once or sets the group's timer.
   */
  private decideGroup(ids: string[], delay: number, viaTimer: boolean): string[] | null {
    const now = this.world.now;
    const members = new Set(ids);
    let due = now + delay;
    for (const g of [...this.pending]) {
      if (![...g.members].some((m) => members.has(m))) continue;
      for (const m of g.members) members.add(m);
      due = Math.max(due, g.due);
      this.cancel(g);
    }
    const ordered = this.inStartOrder(members);
    this.world.emit({ sup: this.path, type: 'restart_scheduled', children: ordered, delayMs: due - now });
    if (!viaTimer && due === now) return ordered;
    const group: RestartGroup = { members: new Set(ordered), due, cancelled: false };
    this.pending.push(group);
    this.world.liveTimers.add(group);
    this.world.at(due, () => {
      if (!group.cancelled) this.input({ kind: 'timer', group });
    });
    return null;
  }

  /* ---- bookkeeping ---------------------------------------------------------------------------- */

  private exit(reason: ExitReasonKind): void {
    this.world.emit({ sup: this.path, type: 'supervisor_exited', reason });
    this.alive = false;
    this.deferred = [];
    this.cancelAllPending();
    const parent = this.parent;
    if (!parent) {
      this.world.rootExit = reason;
      return;
    }
    const id = this.idInParent;
    // A supervisor that never finished starting is, to its parent, a failed start.
    const notice: Input = this.initialized ? { kind: 'exit', child: id, reason } : { kind: 'start_result', child: id, ok: false };
    this.world.soon(() => parent.input(notice));
  }

  private requestStop(c: ChildState): void {
    if (c.spec.kind === 'worker') {
      this.world.worker(this.childPath(c.spec.id)).requestStop(c.spec.shutdown);
      return;
    }
    const nested = this.nested.get(c.spec.id);
    if (!nested) throw this.bug(`no running supervisor for ${c.spec.id}`);
    this.world.soon(() => nested.input({ kind: 'stop' }));
  }

  /** A child the supervisor stopped (or whose exit counted as a stop): recorded, removed if temporary. */
  private recordStopped(c: ChildState, reason: ExitReasonKind): void {
    this.world.emit({ sup: this.path, type: 'exited', child: c.spec.id, reason });
    c.status = 'stopped';
    c.startedAt = undefined;
    this.nested.delete(c.spec.id);
    if (c.spec.restart === 'temporary') this.remove(c);
  }

  private takeDeferredExit(id: string): { reason: ExitReasonKind } | undefined {
    const index = this.deferred.findIndex((d) => d.kind === 'exit' && d.child === id);
    if (index < 0) return undefined;
    const [d] = this.deferred.splice(index, 1);
    return d as { reason: ExitReasonKind };
  }

  private cancel(g: RestartGroup): void {
    g.cancelled = true;
    this.pending = this.pending.filter((x) => x !== g);
    this.world.liveTimers.delete(g);
  }

  private cancelAllPending(): void {
    for (const g of [...this.pending]) this.cancel(g);
  }

  private remove(c: ChildState): void {
    this.children.splice(this.children.indexOf(c), 1);
  }

  private runningReversed(): string[] {
    return this.children.filter((c) => c.status === 'running').map((c) => c.spec.id).reverse();
  }

  private inStartOrder(ids: Set<string>): string[] {
    return this.children.filter((c) => ids.has(c.spec.id)).map((c) => c.spec.id);
  }

  private find(id: string): ChildState {
    const c = this.children.find((x) => x.spec.id === id);
    if (!c) throw this.bug(`unknown child ${id}`);
    return c;
  }

  private childPath(id: string): ChildPath {
    return this.path === '' ? id : `${this.path}/${id}`;
  }

  private bug(message: string): Error {
    return new Error(`reference model bug in supervisor '${this.path}': ${message}`);
  }
}

/* ----------------------------------------------------------------------------------------------------
 * The run
 * -------------------------------------------------------------------------------------------------- */

function applyFault(world: World, f: Fault): void {
  const w = world.worker(f.path);
  switch (f.fault) {
    case 'crash':
      w.crash(f.reason);
      return;
    case 'exit_normal':
      w.crash('normal');
      return;
    case 'hang':
      w.hang();
      return;
    case 'fail_starts':
      w.failStarts = f.count;
      return;
    case 'slow_start':
      w.startMs = f.ms;
      return;
    case 'slow_stop':
      w.stopMs = f.ms;
      return;
    case 'terminate_child': {
      // A request to the worker's supervisor (its current incarnation), not to the worker itself.
      const ids = f.path.split('/');
      const child = ids.pop()!;
      let sup: Supervisor | undefined = world.supervisors[0];
      for (const id of ids) sup = sup?.nestedSupervisor(id);
      sup?.input({ kind: 'terminate_child', child });
      return;
    }
  }
}

/**
 * Runs `spec` against `faults` under a virtual clock, as docs/semantics.md says, and returns the trace.
 *
 * The root starts at t=0; faults are queued first (so at equal times they come before anything else, in
 * array order); at `untilMs` (default: last fault + 60000) a stop request for the root is queued; the run
 * goes on until the queue is empty.
 */
export function runModel(spec: SupervisorSpec, faults: Fault[], options: ModelOptions = {}): ModelResult {
  const random = options.random ?? mulberry32(options.seed ?? 1);
  const world = new World(random, options.hangDetectMs ?? 2000);
  const model = normalizeModelSpec(spec);
  for (const f of faults) world.at(f.at, () => applyFault(world, f));
  const root = new Supervisor(world, '', null, '', model);
  world.at(0, () => root.begin(root.init()));
  const untilMs = options.untilMs ?? faults.reduce((max, f) => Math.max(max, f.at), 0) + 60_000;
  world.at(untilMs, () => root.input({ kind: 'stop' }));

  const maxEvents = options.maxEvents ?? 1_000_000;
  let processed = 0;
  for (let next = world.queue.pop(); next; next = world.queue.pop()) {
    if (++processed > maxEvents) throw new Error(`reference model: more than ${maxEvents} events; a loop?`);
    world.now = next.t;
    next.action();
  }

  const running = [
    ...world.supervisors.filter((s) => s.alive).map((s) => s.path),
    ...[...world.workers.values()].filter((w) => w.alive).map((w) => w.path),
  ];
  return { trace: world.trace, exited: world.rootExit, running, pendingTimers: world.liveTimers.size };
}
