/**
 * Runs a supervision tree through the real core (`src/core/machine.ts`) with simulated children under a
 * virtual clock: no threads, no timers, the same decisions production makes, thousands of runs a second.
 */
import { step } from '../core/machine.js';
import { abandonChildren, createSupervisorState, type SupervisorState } from '../core/state.js';
import type { ChildStatus } from '../core/children.js';
import type { Effect, SupervisorInput } from '../core/events.js';
import type { ExitReason, ExitReasonKind } from '../protocol/exit-reason.js';
import type { NormalizedChildSpec, Shutdown } from '../core/child-spec.js';
import type { NormalizedSupervisorSpec, SupervisorSpec } from '../core/supervisor-flags.js';
import { parseSupervisorSpec } from '../core/validate.js';
import { nestedSupervisorName, rootSupervisorName } from '../core/naming.js';
import { checkSimulationInput } from './check-faults.js';
import { EventQueue } from './event-queue.js';
import { seededRandom } from './random.js';
import { toTraceEvent } from './trace.js';
import type { ChildPath, Fault, SimulationOptions, TraceEvent } from './types.js';

/** The outcome of one simulated run. */
export interface SimulationResult {
  /** Everything every supervisor saw and decided, in order, with virtual timestamps. */
  trace: TraceEvent[];
  /** The root's exit reason, or `null` if it never exited. */
  exited: ExitReasonKind | null;
  /** The root's full exit reason. */
  exitReason: ExitReason | null;
  /** Paths of workers still running when the queue ran dry (empty after a clean stop). */
  running: ChildPath[];
  /** Restart timers still pending when the queue ran dry (0 after a clean stop). */
  pendingTimers: number;
  /** Inputs processed by the core, all supervisors together. */
  steps: number;
  /** Virtual time of the last event. */
  endedAt: number;
  /**
   * The tree as the run left it: every supervisor's children with their status and restart count (a
   * nested supervisor's children are its last incarnation's). After the final stop, all are `stopped`.
   */
  tree: SimulatedTree;
}

/** One supervisor in {@link SimulationResult.tree}. */
export interface SimulatedTree {
  path: ChildPath;
  phase: SupervisorState['phase'];
  exitReason: ExitReasonKind | null;
  children: SimulatedTreeChild[];
}

/** One child in {@link SimulatedTree}. */
export interface SimulatedTreeChild {
  id: string;
  type: 'worker' | 'supervisor';
  status: ChildStatus;
  /** Automatic restarts that completed. */
  restartCount: number;
  /** The nested supervisor, for a supervisor child that has been started at least once. */
  supervisor?: SimulatedTree;
}

type Item =
  | { k: 'input'; node: SupNode; input: SupervisorInput }
  | { k: 'fault'; fault: Fault }
  | { k: 'worker_exit'; worker: SimWorker; incarnation: number; reason: ExitReason }
  | { k: 'hang_detected'; worker: SimWorker; incarnation: number }
  | { k: 'worker_started'; worker: SimWorker; ok: boolean; token: number }
  /** A nested supervisor finished starting after its parent began to be killed: it is killed in turn. */
  | { k: 'landed'; node: SupNode };

interface SupNode {
  path: ChildPath;
  state: SupervisorState;
  parent: SupNode | null;
  id: string;
  children: Map<string, SupNode | SimWorker>;
  timers: Set<number>;
  exited: boolean;
  /** Its start completed (the shell's parent holds it as a running child from then on). */
  ready: boolean;
  /** Set while it is being killed: its core takes no more input and its subtree goes as the shell's kill does. */
  teardown: Teardown | null;
}

/** A kill in progress (the shell's `SupervisorProcess.kill`): children one at a time, then late starts. */
interface Teardown {
  reason: ExitReason;
  /** Children still to kill, in reverse start order. */
  queue: string[];
  /** The nested supervisor whose own teardown this one waits for. */
  waitingOn: string | null;
  finished: boolean;
  done: () => void;
}

interface SimWorker {
  kind: 'worker';
  path: ChildPath;
  id: string;
  sup: SupNode;
  alive: boolean;
  hung: boolean;
  /** Asked to stop: a numeric or brutal shutdown takes over from the heartbeat, as in the thread host. */
  stopping: Shutdown | null;
  /** Names the start in flight; a start whose token is stale is dropped. */
  startToken: number;
  /** A start is in flight (a killed supervisor waits for it to land, as the shell must). */
  starting: boolean;
  incarnation: number;
  failStarts: number;
  startMs: number;
  stopMs: number;
  shutdown: Shutdown;
}

const join = (parent: ChildPath, id: string) => (parent === '' ? id : `${parent}/${id}`);

const crashReasons: Record<string, (path: string) => ExitReason> = {
  error: (path) => ({ kind: 'error', error: { name: 'SimulatedCrash', message: `fault injected into ${path}` } }),
  exit: () => ({ kind: 'exit', code: 1 }),
  oom: () => ({ kind: 'oom' }),
  killed: () => ({ kind: 'killed' }),
  shutdown: () => ({ kind: 'shutdown', detail: 'simulated' }),
};

/**
 * Runs `spec` (the same spec a user starts in production; worker modules are never loaded) against a
 * fault schedule and returns the trace. Deterministic: the same spec, faults and seed give the same trace.
 * Throws `InvalidSpecError` before anything runs if the spec is invalid or a fault could never apply (a
 * path that names no worker, an unknown fault or reason, a time after `untilMs`).
 *
 * @example
 * const { trace, exited } = simulate(
 *   { strategy: 'one_for_one', maxRestarts: 1, periodMs: 1000, children: [worker({ id: 'db', module: 'sim:db' })] },
 *   [{ at: 10, path: 'db', fault: 'crash', reason: 'error' }, { at: 20, path: 'db', fault: 'crash', reason: 'error' }],
 * );
 * // exited === 'max_intensity'
 */
export function simulate(spec: SupervisorSpec, faults: readonly Fault[], options: SimulationOptions & { random?: () => number } = {}): SimulationResult {
  const parsed = parseSupervisorSpec(spec);
  checkSimulationInput(spec, faults, options); // the spec is valid now, so its paths can be read
  return new Simulation(parsed, faults, options).run();
}

class Simulation {
  readonly #queue = new EventQueue<Item>();
  readonly #trace: TraceEvent[] = [];
  readonly #workers = new Map<ChildPath, SimWorker>();
  readonly #random: () => number;
  readonly #hangDetectMs: number;
  readonly #untilMs: number;
  readonly #root: SupNode;
  #now = 0;
  #steps = 0;
  #tokens = 0;
  /** Numbers the management requests of `terminate_child` faults (the core answers each by number). */
  #requests = 0;
  #exitReason: ExitReason | null = null;

  constructor(spec: NormalizedSupervisorSpec, faults: readonly Fault[], options: SimulationOptions & { random?: () => number }) {
    this.#random = options.random ?? seededRandom(options.seed ?? 1);
    this.#hangDetectMs = options.hangDetectMs ?? 2000;
    const lastFault = faults.reduce((m, f) => Math.max(m, f.at), 0);
    this.#untilMs = options.untilMs ?? lastFault + 60_000;
    for (const fault of faults) this.#queue.push(fault.at, { k: 'fault', fault });
    this.#root = this.#node(spec, '', null, '', rootSupervisorName(spec));
    this.#queue.push(0, { k: 'input', node: this.#root, input: { type: 'init' } });
    this.#queue.push(this.#untilMs, { k: 'input', node: this.#root, input: { type: 'stop' } });
  }

  run(): SimulationResult {
    for (let next = this.#queue.pop(); next !== undefined; next = this.#queue.pop()) {
      this.#now = next.time;
      this.#handle(next.item);
    }
    const running = [...this.#workers.values()].filter((w) => w.alive).map((w) => w.path);
    let pendingTimers = 0;
    const count = (n: SupNode): void => {
      pendingTimers += n.timers.size;
      for (const c of n.children.values()) if (!('kind' in c)) count(c);
    };
    count(this.#root);
    return {
      trace: this.#trace,
      exited: this.#exitReason?.kind ?? null,
      exitReason: this.#exitReason,
      running,
      pendingTimers,
      steps: this.#steps,
      endedAt: this.#now,
      tree: snapshot(this.#root),
    };
  }

  #node(spec: NormalizedSupervisorSpec, path: ChildPath, parent: SupNode | null, id: string, name: string): SupNode {
    const state = createSupervisorState({ name, flags: spec, children: spec.children, random: this.#random });
    return { path, state, parent, id, children: new Map(), timers: new Set(), exited: false, ready: false, teardown: null };
  }

  #handle(item: Item): void {
    switch (item.k) {
      case 'input':
        if (item.input.type === 'timer' && !item.node.timers.delete(item.input.key)) return; // cancelled
        if (item.node.exited) return;
        return this.#feed(item.node, item.input);
      case 'fault':
        return this.#fault(item.fault);
      case 'worker_started': {
        const w = item.worker;
        if (item.token !== w.startToken) return;
        w.starting = false;
        if (w.sup.teardown !== null) return this.#landedInTeardown(w, item.ok);
        if (item.ok) {
          w.alive = true;
          w.hung = false;
          w.stopping = null;
          w.incarnation += 1;
          return this.#feed(w.sup, { type: 'started', id: w.id });
        }
        return this.#feed(w.sup, { type: 'start_failed', id: w.id, reason: { kind: 'start_failed', error: { name: 'SimulatedStartFailure', message: `start of ${w.path} failed` } } });
      }
      case 'hang_detected': {
        const w = item.worker;
        if (!w.alive || w.incarnation !== item.incarnation || (w.stopping !== null && w.stopping !== 'infinity')) return;
        return this.#exitWorker(w, { kind: 'hung', missedMs: this.#hangDetectMs });
      }
      case 'landed': {
        const { node } = item;
        if (node.exited) return;
        const parent = node.parent!;
        return this.#teardown(node, { kind: 'killed', afterMs: 0 }, () => {
          this.#killedInTeardown(parent, node.id);
          this.#continueTeardown(parent);
        });
      }
      case 'worker_exit': {
        const w = item.worker;
        if (!w.alive || w.incarnation !== item.incarnation) return; // that incarnation already ended
        return this.#exitWorker(w, item.reason);
      }
    }
  }

  #fault(fault: Fault): void {
    const w = this.#workers.get(fault.path);
    switch (fault.fault) {
      case 'fail_starts':
        this.#config(fault.path).failStarts = fault.count;
        return;
      case 'slow_start':
        this.#config(fault.path).startMs = fault.ms;
        return;
      case 'slow_stop':
        this.#config(fault.path).stopMs = fault.ms;
        return;
      case 'crash':
      case 'exit_normal':
        if (w === undefined || !w.alive) return;
        return this.#exitWorker(w, fault.fault === 'crash' ? crashReasons[fault.reason]!(w.path) : { kind: 'normal' });
      case 'hang':
        if (w === undefined || !w.alive || w.hung || w.stopping !== null) return;
        w.hung = true;
        this.#queue.push(this.#now + this.#hangDetectMs, { k: 'hang_detected', worker: w, incarnation: w.incarnation });
        return;
      case 'terminate_child':
        return this.#terminateChild(fault.path);
    }
  }

  /**
   * `terminateChild` as a management request to the current incarnation of the worker's supervisor; the
   * core replies, and nobody here waits for the reply. A supervisor never started, or gone, gets nothing
   * (as a shell caller finds no supervisor there); one whose init is still queued answers `stopped`.
   */
  #terminateChild(path: ChildPath): void {
    const ids = path.split('/');
    const id = ids.pop()!;
    let node: SupNode | undefined = this.#root;
    for (const sup of ids) {
      const child: SupNode | SimWorker | undefined = node.children.get(sup);
      node = child === undefined || 'kind' in child ? undefined : child;
      if (node === undefined) return;
    }
    if (node.exited) return;
    this.#feed(node, { type: 'terminate_child', request: ++this.#requests, id });
  }

  /**
   * Carries out the core's `kill` of the nested supervisor `node`: its subtree goes as in the shell (see
   * `#teardown`), and its parent hears of its exit through the queue, as of any nested exit.
   */
  #killNested(node: SupNode, afterMs: number): void {
    if (node.exited) return;
    const reason: ExitReason = { kind: 'killed', afterMs };
    this.#teardown(node, reason, () => this.#queue.push(this.#now, { k: 'input', node: node.parent!, input: { type: 'exited', id: node.id, reason } }));
  }

  /**
   * Kills `node`'s subtree the way the shell's `SupervisorProcess.kill` does: its running children one at
   * a time in reverse start order (a worker dies at once, a nested supervisor's own teardown is waited
   * for), each reported `killed`; then every start still in flight, as it lands (one that succeeds is
   * killed at once: a thread that is booting cannot be cut short). Then `node` reports its own exit and
   * `done` runs.
   */
  #teardown(node: SupNode, reason: ExitReason, done: () => void): void {
    node.exited = true;
    node.timers.clear();
    node.teardown = { reason, queue: [...node.state.children.order].reverse(), waitingOn: null, finished: false, done };
    this.#continueTeardown(node);
  }

  #continueTeardown(node: SupNode): void {
    const td = node.teardown!;
    if (td.waitingOn !== null || td.finished) return;
    for (let id = td.queue.shift(); id !== undefined; id = td.queue.shift()) {
      const child = node.children.get(id);
      if (child === undefined) continue;
      if ('kind' in child) {
        if (child.sup !== node || !child.alive) continue;
        this.#killedInTeardown(node, child.id);
        child.alive = false;
        child.hung = false;
        continue;
      }
      if (child.exited || !child.ready) continue;
      td.waitingOn = id;
      this.#teardown(child, { kind: 'killed', afterMs: 0 }, () => {
        td.waitingOn = null;
        this.#killedInTeardown(node, id);
        this.#continueTeardown(node);
      });
      return;
    }
    // Starts still in flight, and nested supervisors that landed late and are still being killed.
    const inFlight = [...node.children.values()].some((c) => ('kind' in c ? c.sup === node && c.starting : !c.exited || c.teardown?.finished === false));
    if (inFlight) return; // resumed as each start lands
    td.finished = true;
    abandonChildren(node.state, td.reason);
    this.#trace.push({ t: this.#now, sup: node.path, type: 'supervisor_exited', reason: td.reason.kind });
    td.done();
  }

  /** A child of a supervisor being torn down is gone: the shell reports that exit itself (its core is closed). */
  #killedInTeardown(node: SupNode, id: string, reason: ExitReasonKind = 'killed'): void {
    this.#trace.push({ t: this.#now, sup: node.path, type: 'exited', child: id, reason });
  }

  /** A worker's start landed after its supervisor began its teardown: a started one is killed at once. */
  #landedInTeardown(w: SimWorker, ok: boolean): void {
    if (ok) {
      w.incarnation += 1;
      this.#killedInTeardown(w.sup, w.id);
    }
    this.#continueTeardown(w.sup);
  }

  #exitWorker(w: SimWorker, reason: ExitReason): void {
    w.alive = false;
    w.hung = false;
    // Its supervisor is being killed and waits for another child: the exit is reported, not decided on.
    if (w.sup.teardown !== null) return this.#killedInTeardown(w.sup, w.id, reason.kind);
    this.#feed(w.sup, { type: 'exited', id: w.id, reason });
  }

  /** Per-path worker settings live as long as the run, so faults aimed at a child before it starts hold. */
  #config(path: ChildPath): SimWorker {
    let w = this.#workers.get(path);
    if (w === undefined) {
      w = { kind: 'worker', path, id: '', sup: this.#root, alive: false, hung: false, stopping: null, startToken: 0, starting: false, incarnation: 0, failStarts: 0, startMs: 0, stopMs: 0, shutdown: 5000 };
      this.#workers.set(path, w);
    }
    return w;
  }

  #feed(node: SupNode, input: SupervisorInput): void {
    this.#steps += 1;
    const { effects } = step(node.state, input, this.#now);
    for (const effect of effects) this.#effect(node, effect);
  }

  #effect(node: SupNode, fx: Effect): void {
    const now = this.#now;
    switch (fx.type) {
      case 'report':
        return this.#record(node, fx.report);
      case 'start':
        return this.#start(node, fx.id, fx.spec);
      case 'stop':
        return this.#stop(node, fx.id, fx.shutdown);
      case 'kill': {
        const child = node.children.get(fx.id);
        if (child === undefined || 'kind' in child) throw new Error(`simulator: kill of ${join(node.path, fx.id)}, which is no supervisor`);
        return this.#killNested(child, fx.afterMs);
      }
      case 'schedule':
        node.timers.add(fx.key);
        this.#queue.push(now + fx.delayMs, { k: 'input', node, input: { type: 'timer', key: fx.key } });
        return;
      case 'cancel':
        node.timers.delete(fx.key);
        return;
      case 'reply':
        return;
      case 'ready':
        node.ready = true;
        if (node.parent) this.#queue.push(now, node.parent.teardown === null ? { k: 'input', node: node.parent, input: { type: 'started', id: node.id } } : { k: 'landed', node });
        return;
      case 'exit':
        node.exited = true;
        node.timers.clear();
        if (node.parent?.teardown) {
          // Its parent is being killed: a running child's exit is reported there, a failed start is not.
          if (node.ready) this.#killedInTeardown(node.parent, node.id, fx.reason.kind);
          this.#continueTeardown(node.parent);
        } else if (node.parent) {
          // A nested supervisor that ends while its parent still starts it answers that start instead.
          const starting = node.parent.state.children.get(node.id)?.status === 'starting';
          const input: SupervisorInput = starting
            ? { type: 'start_failed', id: node.id, reason: toStartFailed(fx.reason) }
            : { type: 'exited', id: node.id, reason: fx.reason };
          this.#queue.push(now, { k: 'input', node: node.parent, input });
        } else {
          this.#exitReason = fx.reason;
        }
        return;
    }
  }

  #start(node: SupNode, id: string, spec: NormalizedChildSpec): void {
    const path = join(node.path, id);
    if (spec.type === 'supervisor') {
      const child = this.#node(spec, path, node, id, nestedSupervisorName(node.state.name, spec));
      node.children.set(id, child);
      this.#queue.push(this.#now, { k: 'input', node: child, input: { type: 'init' } });
      return;
    }
    const w = this.#config(path);
    w.id = id;
    w.sup = node;
    w.shutdown = spec.shutdown;
    node.children.set(id, w);
    const ok = w.failStarts === 0;
    if (!ok) w.failStarts -= 1;
    w.startToken = ++this.#tokens;
    w.starting = true;
    this.#queue.push(this.#now + w.startMs, { k: 'worker_started', worker: w, ok, token: w.startToken });
  }

  #stop(node: SupNode, id: string, shutdown: Shutdown): void {
    const now = this.#now;
    const child = node.children.get(id);
    if (child === undefined) throw new Error(`simulator: stop of unknown child ${join(node.path, id)}`);
    if (!('kind' in child)) {
      // Its shutdown timeout is the core's (a `schedule`, then a `kill` effect), not the simulator's.
      this.#queue.push(now, { k: 'input', node: child, input: { type: 'stop' } });
      return;
    }
    const w = child;
    w.stopping = shutdown;
    const exitAt = (delay: number, reason: ExitReason) => this.#queue.push(now + delay, { k: 'worker_exit', worker: w, incarnation: w.incarnation, reason });
    if (shutdown === 'brutal_kill') return exitAt(0, { kind: 'killed' });
    if (w.hung) {
      if (typeof shutdown === 'number') exitAt(shutdown, { kind: 'killed', afterMs: shutdown });
      return; // infinity: only the heartbeat's verdict ends it
    }
    if (typeof shutdown === 'number' && w.stopMs > shutdown) return exitAt(shutdown, { kind: 'killed', afterMs: shutdown });
    exitAt(w.stopMs, { kind: 'shutdown' });
  }

  #record(node: SupNode, r: Extract<Effect, { type: 'report' }>['report']): void {
    const event = toTraceEvent(node.path, r, this.#now);
    if (event !== null) this.#trace.push(event);
  }
}

function snapshot(node: SupNode): SimulatedTree {
  const { children } = node.state;
  return {
    path: node.path,
    phase: node.state.phase,
    exitReason: node.state.exitReason?.kind ?? null,
    children: children.order.map((id) => {
      const rec = children.get(id)!;
      const child: SimulatedTreeChild = { id, type: rec.spec.type, status: rec.status, restartCount: rec.restartCount };
      const nested = node.children.get(id);
      if (nested !== undefined && !('kind' in nested)) child.supervisor = snapshot(nested);
      return child;
    }),
  };
}

function toStartFailed(reason: ExitReason): ExitReason {
  return reason.kind === 'start_failed' ? reason : { kind: 'start_failed', error: { name: 'StartError', message: `supervisor exited while starting` } };
}
