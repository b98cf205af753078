/**
 * Invariants of docs/semantics.md, checked over a trace and the spec that produced it. They read only the
 * trace (plus the final state), so they run on the reference model's traces and on the engine's alike.
 *
 * The checker replays the trace per supervisor incarnation, rebuilding each child's state from the events
 * (`start` → starting, `started` → running, `stop` → stopping, `exited` → stopped), and checks every
 * decision against the rules:
 *
 * - `intensity`: at most `maxRestarts` restart decisions in any `periodMs` window; `intensity_exceeded`
 *   exactly when one more would pass it; then every running child stops and the supervisor exits.
 * - `one_for_one` / `one_for_all` / `rest_for_one`: each restart group is exactly the strategy's group
 *   (merged with waiting groups it overlaps), the siblings stopped are exactly the running ones the
 *   strategy names (rest_for_one never touches an earlier sibling), and a restart starts only scheduled
 *   children, in start order.
 * - `temporary`: a temporary child is never in a restart group and never started again.
 * - `transient`: a transient child's own exit leads to a restart only when it was abnormal.
 * - `stop_order`: when a supervisor asks a child to stop, no later child (in start order) is running.
 * - `backoff`: each delay is the triggering child's `min(maxMs, initialMs * factor^(n-1))` (jittered within
 *   its bounds), `n` counting from the last reset after `resetAfterMs` of running; so without jitter the
 *   delays per child never decrease until a reset and never pass `maxMs`. A merged group waits for the
 *   later due time.
 * - `restart_decision`: a child's own exit that calls for a restart (any exit of a permanent child, an
 *   abnormal one of a transient child) is followed at once by `restart_scheduled` or `intensity_exceeded`,
 *   unless it came while the supervisor was stopping children (then it counts as that stop).
 * - `escalation`: a child supervisor's exit reaches its parent as `exited` with the same reason; with the
 *   `restart_decision` and `intensity` rules this makes a `max_intensity` exit climb until the first
 *   ancestor with budget left restarts it, or the root exits `max_intensity`.
 * - `final_state`: the root exits last, no supervisor or worker is left running and no timer is pending.
 * - `well_formed`: the events make sense at all (time never goes back, a child is started before it
 *   runs, only running children are stopped, and so on).
 */
import type { ExitReasonKind } from '../../src/protocol/exit-reason.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { TraceEvent } from '../../src/testing/types.js';
import { formatTraceEvent } from '../../src/testing/format.js';
import { baseBackoffDelay, isAbnormal, normalizeModelSpec, type ModelChild, type ModelSpec } from './reference-model.js';

/** The name of one invariant (see the module comment). */
export type InvariantName =
  | 'well_formed'
  | 'intensity'
  | 'one_for_one'
  | 'one_for_all'
  | 'rest_for_one'
  | 'temporary'
  | 'transient'
  | 'stop_order'
  | 'backoff'
  | 'restart_decision'
  | 'escalation'
  | 'final_state';

/** One broken invariant, at the trace event that showed it (`-1`: after the last event). */
export interface Violation {
  invariant: InvariantName;
  index: number;
  message: string;
}

/** What a run left behind, for the `final_state` invariant. */
export interface FinalState {
  running: readonly string[];
  pendingTimers: number;
}

type Status = 'stopped' | 'starting' | 'running' | 'stopping';

interface ChildTrack {
  spec: ModelChild;
  index: number;
  status: Status;
  removed: boolean;
  startedAt: number | undefined;
  attempts: number;
}

interface Group {
  members: string[];
  due: number;
}

/** What the next events of a supervisor must be. */
interface StopExpectation {
  /** Children still to stop (or to be seen exiting). */
  stops: Set<string>;
  invariant: InvariantName;
  /** After the stops: the supervisor must exit with this reason next. */
  thenExit: ExitReasonKind | null;
  why: string;
}

/** The replayed state of one supervisor incarnation. */
class SupTrack {
  readonly children = new Map<string, ChildTrack>();
  initDone = false;
  restarts: number[] = [];
  pending: Group[] = [];
  /** The group being started: members in start order, and how many have begun. */
  inProgress: { members: string[]; next: number } | null = null;
  /** An own exit that must be followed by a restart decision at once. */
  decisionDue: { child: string; t: number } | null = null;
  /** The group a start failure just interrupted (for the retry group). */
  failedGroup: { members: string[]; at: number } | null = null;
  expect: StopExpectation | null = null;
  last: TraceEvent | null = null;

  constructor(
    readonly path: string,
    readonly spec: ModelSpec,
  ) {
    spec.children.forEach((c, index) =>
      this.children.set(c.id, { spec: c, index, status: 'stopped', removed: false, startedAt: undefined, attempts: 0 }),
    );
  }

  present(): ChildTrack[] {
    return [...this.children.values()].filter((c) => !c.removed).sort((a, b) => a.index - b.index);
  }

  running(): ChildTrack[] {
    return this.present().filter((c) => c.status === 'running');
  }

  inOrder(ids: Iterable<string>): string[] {
    const set = new Set(ids);
    return this.present()
      .filter((c) => set.has(c.spec.id))
      .map((c) => c.spec.id);
  }
}

const specsByPath = (spec: ModelSpec, path = '', out = new Map<string, ModelSpec>()): Map<string, ModelSpec> => {
  out.set(path, spec);
  for (const c of spec.children) if (c.sup) specsByPath(c.sup, path === '' ? c.id : `${path}/${c.id}`, out);
  return out;
};

const parentOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const childPath = (sup: string, id: string): string => (sup === '' ? id : `${sup}/${id}`);
const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Checks every invariant over `trace` (produced by running `spec`) and returns the violations, empty when
 * all hold. Pass `final` (the run's leftover running paths and pending timers) to check the final state too.
 */
export function checkInvariants(spec: SupervisorSpec, trace: readonly TraceEvent[], final?: FinalState): Violation[] {
  const specs = specsByPath(normalizeModelSpec(spec));
  const live = new Map<string, SupTrack>([['', new SupTrack('', specs.get('')!)]]);
  const out: Violation[] = [];
  /** Exits of child supervisors their parents have not recorded yet: path → reason. */
  const unreported = new Map<string, ExitReasonKind>();
  let rootExited = false;
  let index = -1;
  const fail = (invariant: InvariantName, message: string): void => {
    out.push({ invariant, index, message });
  };

  let currentTime = 0;
  for (const e of trace) {
    index++;
    currentTime = e.t;
    if (index > 0 && e.t < trace[index - 1]!.t) fail('well_formed', `time went back from ${trace[index - 1]!.t} to ${e.t}`);
    if (rootExited) fail('final_state', 'an event after the root exited');
    const sup = live.get(e.sup);
    if (!sup) {
      fail('well_formed', `event of supervisor '${e.sup}', which is not running`);
      continue;
    }
    checkEvent(sup, e);
    sup.last = e;
  }
  index = -1;
  if (!rootExited && trace.length > 0) fail('final_state', 'the root never exited');
  for (const [path, reason] of unreported) fail('escalation', `the parent of '${path}' never saw it exit ${reason}`);
  for (const sup of live.values()) if (sup.decisionDue) fail('restart_decision', `'${sup.path}' saw ${sup.decisionDue.child} exit but decided nothing`);
  if (final) {
    if (final.running.length > 0) fail('final_state', `still running at the end: ${final.running.join(', ')}`);
    if (final.pendingTimers !== 0) fail('final_state', `${final.pendingTimers} timer(s) pending at the end`);
  }
  return out;

  function child(sup: SupTrack, id: string): ChildTrack | undefined {
    const c = sup.children.get(id);
    if (!c || c.removed) fail('well_formed', `'${sup.path}' has no child '${id}'${c ? ' (removed)' : ''}`);
    return c && !c.removed ? c : undefined;
  }

  function checkEvent(sup: SupTrack, e: TraceEvent): void {
    if (sup.decisionDue) checkDecision(sup, e);
    // Decided before the expectation consumes it: an exit the stop sequence was waiting for is no own exit.
    const partOfStops = e.type === 'exited' && sup.expect !== null && sup.expect.stops.has(e.child);
    if (sup.expect && !followsExpectation(sup, e)) return;
    switch (e.type) {
      case 'start':
        return onStart(sup, e.child);
      case 'started':
      case 'start_failed': {
        const c = child(sup, e.child);
        if (!c) return;
        if (c.status !== 'starting') fail('well_formed', `${e.type} ${e.child} without a start`);
        c.status = e.type === 'started' ? 'running' : 'stopped';
        c.startedAt = e.type === 'started' ? e.t : undefined;
        if (e.type === 'start_failed') onStartFailed(sup, c);
        else advanceGroup(sup, c);
        if (e.type === 'started' && !sup.initDone && c.index === sup.spec.children.length - 1) sup.initDone = true;
        if (c.spec.kind === 'supervisor' && e.type === 'start_failed') unreported.delete(childPath(sup.path, e.child));
        return;
      }
      case 'stop': {
        const c = child(sup, e.child);
        if (!c) return;
        if (c.status !== 'running') fail('well_formed', `stop ${e.child} while it is ${c.status}`);
        const later = sup.present().filter((x) => x.index > c.index && x.status !== 'stopped');
        if (later.length > 0) fail('stop_order', `'${sup.path}' stops ${e.child} while later child(ren) ${later.map((x) => x.spec.id).join(', ')} still run`);
        c.status = 'stopping';
        return;
      }
      case 'exited':
        return onExited(sup, e.child, e.reason, partOfStops);
      case 'restart_scheduled':
        return onRestartScheduled(sup, e.t, e.children, e.delayMs);
      case 'intensity_exceeded':
        return onIntensityExceeded(sup, e.t);
      case 'supervisor_exited':
        return onSupervisorExited(sup, e.reason);
    }
  }

  /**
   * After an own exit that calls for a restart: a decision at the same time, or, if the supervisor was
   * stopping children when the exit came (it counted as a stop), the stop sequence going on.
   */
  function checkDecision(sup: SupTrack, e: TraceEvent): void {
    const due = sup.decisionDue!;
    sup.decisionDue = null;
    const now = e.t === due.t;
    if ((e.type === 'restart_scheduled' || e.type === 'intensity_exceeded') && now) return;
    // A shutdown that reached this child goes on with an earlier one (reverse start order), or ends.
    const earlier = (id: string) => (sup.children.get(id)?.index ?? Infinity) < (sup.children.get(due.child)?.index ?? -Infinity);
    if (now && (e.type === 'supervisor_exited' || ((e.type === 'stop' || e.type === 'exited') && earlier(e.child)))) return;
    // It came while another child was being stopped: that stop goes on.
    if (e.type === 'exited' && sup.children.get(e.child)?.status === 'stopping') return;
    fail('restart_decision', `'${sup.path}' saw ${due.child} exit at ${due.t} but decided no restart; next: ${formatTraceEvent(e)}`);
  }

  /** While a stop sequence is due, only its stops and exits may appear; returns false if the event broke it. */
  function followsExpectation(sup: SupTrack, e: TraceEvent): boolean {
    const x = sup.expect!;
    if (x.stops.size === 0) {
      sup.expect = null;
      if (x.thenExit !== null && !(e.type === 'supervisor_exited' && e.reason === x.thenExit)) {
        fail(x.invariant, `'${sup.path}' should exit ${x.thenExit} after ${x.why}; got ${formatTraceEvent(e)}`);
      }
      return true;
    }
    if (e.type === 'exited' && x.stops.has(e.child)) {
      x.stops.delete(e.child);
      return true;
    }
    if (e.type === 'stop' && x.stops.has(e.child)) {
      const highest = sup.inOrder(x.stops).at(-1);
      if (highest !== e.child) fail('stop_order', `'${sup.path}' stops ${e.child} before ${highest} (${x.why})`);
      return true;
    }
    fail(x.invariant, `'${sup.path}' should stop ${sup.inOrder(x.stops).reverse().join(', ')} (${x.why}); got ${formatTraceEvent(e)}`);
    sup.expect = null;
    return true;
  }

  function onStart(sup: SupTrack, id: string): void {
    const c = child(sup, id);
    if (!c) return;
    if (c.status !== 'stopped') fail('well_formed', `start ${id} while it is ${c.status}`);
    c.status = 'starting';
    if (c.spec.kind === 'supervisor') {
      const path = childPath(sup.path, id);
      if (live.has(path)) fail('well_formed', `'${path}' started again while running`);
      live.set(path, new SupTrack(path, specs.get(path)!));
    }
    if (!sup.initDone) {
      const expected = sup.present().find((x) => x.status === 'stopped' || x === c);
      if (expected !== c || sup.restarts.length > 0) fail('well_formed', `init of '${sup.path}' starts ${id} out of order`);
      return;
    }
    // After init, every start belongs to a scheduled restart group, in the group's order.
    if (!sup.inProgress) {
      const g = sup.pending.find((p) => p.members.includes(id));
      if (!g) {
        fail(c.spec.restart === 'temporary' ? 'temporary' : strategyInvariant(sup), `'${sup.path}' starts ${id} with no restart scheduled`);
        return;
      }
      sup.pending = sup.pending.filter((p) => p !== g);
      sup.inProgress = { members: g.members, next: 0 };
    }
    const ip = sup.inProgress;
    if (ip.members[ip.next] !== id) fail(strategyInvariant(sup), `'${sup.path}' starts ${id}; the group [${ip.members.join(',')}] expects ${ip.members[ip.next]}`);
    ip.next++;
  }

  function advanceGroup(sup: SupTrack, c: ChildTrack): void {
    const ip = sup.inProgress;
    if (ip && ip.members[ip.next - 1] === c.spec.id && ip.next === ip.members.length) sup.inProgress = null;
  }

  function onStartFailed(sup: SupTrack, c: ChildTrack): void {
    if (sup.inProgress) sup.failedGroup = { members: sup.inProgress.members, at: sup.inProgress.members.indexOf(c.spec.id) };
    sup.inProgress = null;
    if (!sup.initDone) {
      // A failed init stops the started children in reverse order, then exits start_failed.
      const started = sup.running();
      sup.expect = { stops: new Set(started.map((x) => x.spec.id)), invariant: 'stop_order', thenExit: 'start_failed', why: `${c.spec.id} failed to start during init` };
    }
  }

  function onExited(sup: SupTrack, id: string, reason: ExitReasonKind, partOfStops: boolean): void {
    const c = child(sup, id);
    if (!c) return;
    if (c.status !== 'running' && c.status !== 'stopping') fail('well_formed', `exited ${id} while it is ${c.status}`);
    const own = c.status === 'running' && !partOfStops;
    if (own && (c.spec.restart === 'permanent' || (c.spec.restart === 'transient' && isAbnormal(reason)))) {
      sup.decisionDue = { child: id, t: currentTime };
    }
    c.status = 'stopped';
    if (c.spec.restart === 'temporary') c.removed = true;
    if (c.spec.kind === 'supervisor') {
      const path = childPath(sup.path, id);
      const seen = unreported.get(path);
      if (seen === undefined) fail('escalation', `'${sup.path}' saw ${id} exit ${reason} before it exited`);
      else if (seen !== reason) fail('escalation', `'${path}' exited ${seen} but its parent saw ${reason}`);
      unreported.delete(path);
    }
  }

  function onRestartScheduled(sup: SupTrack, t: number, children: string[], delayMs: number): void {
    const trigger = sup.last;
    if (!trigger || (trigger.type !== 'exited' && trigger.type !== 'start_failed')) {
      fail('well_formed', `restart_scheduled in '${sup.path}' not right after an exit or a failed start`);
      return;
    }
    const x = sup.children.get(trigger.child)!;
    const retry = trigger.type === 'start_failed';
    if (x.spec.restart === 'temporary') fail('temporary', `temporary ${x.spec.id} triggered a restart`);
    if (!retry && trigger.type === 'exited' && x.spec.restart === 'transient' && !isAbnormal(trigger.reason)) {
      fail('transient', `transient ${x.spec.id} restarted after a ${trigger.reason} exit`);
    }
    for (const id of children) {
      if (sup.children.get(id)?.spec.restart === 'temporary') fail('temporary', `temporary ${id} is in a restart group`);
    }

    // Intensity: this decision must not be one too many.
    sup.restarts.push(t);
    const inWindow = sup.restarts.filter((s) => t - s <= sup.spec.periodMs).length;
    if (inWindow > sup.spec.maxRestarts) fail('intensity', `${inWindow} restarts within ${sup.spec.periodMs} ms in '${sup.path}' (maxRestarts ${sup.spec.maxRestarts}) without intensity_exceeded`);

    // The strategy's group, merged with waiting groups it overlaps.
    const strategy = sup.spec.strategy;
    let group: string[];
    if (strategy === 'one_for_one') group = [x.spec.id];
    else if (retry) {
      const failed = sup.failedGroup?.members ?? [x.spec.id];
      group = strategy === 'one_for_all' ? failed : failed.slice(Math.max(0, failed.indexOf(x.spec.id)));
    } else if (strategy === 'one_for_all') group = sup.present().filter((c) => c.spec.restart !== 'temporary').map((c) => c.spec.id);
    else group = sup.present().filter((c) => c === x || (c.index > x.index && c.spec.restart !== 'temporary')).map((c) => c.spec.id);
    const members = new Set(group);
    let due = -Infinity;
    for (const p of [...sup.pending]) {
      if (!p.members.some((m) => members.has(m))) continue;
      p.members.forEach((m) => members.add(m));
      due = Math.max(due, p.due);
      sup.pending = sup.pending.filter((q) => q !== p);
    }
    const expected = sup.inOrder(members);
    if (!same(children, expected)) fail(strategyInvariant(sup), `'${sup.path}' restart group [${children.join(',')}], expected [${expected.join(',')}] (${strategy}, after ${x.spec.id} ${retry ? 'failed to start' : 'exited'})`);
    if (strategy === 'rest_for_one' && children.some((id) => (sup.children.get(id)?.index ?? Infinity) < x.index)) {
      fail('rest_for_one', `rest_for_one group [${children.join(',')}] touches a sibling before ${x.spec.id}`);
    }
    sup.pending.push({ members: sup.inOrder(children), due: t + delayMs });
    sup.failedGroup = null;

    checkBackoff(sup, x, trigger, t, delayMs, due - t);

    // The siblings to stop: all other running ones (one_for_all) or the running ones after it (rest_for_one).
    const stops = strategy === 'one_for_one' ? [] : sup.running().filter((c) => c !== x && (strategy === 'one_for_all' || c.index > x.index));
    if (stops.length > 0) sup.expect = { stops: new Set(stops.map((c) => c.spec.id)), invariant: strategyInvariant(sup), thenExit: null, why: `${strategy} restart after ${x.spec.id}` };
  }

  function checkBackoff(sup: SupTrack, x: ChildTrack, trigger: TraceEvent, t: number, delayMs: number, waitingFor: number): void {
    const b = x.spec.backoff;
    if (trigger.type === 'exited' && x.startedAt !== undefined && t - x.startedAt >= (b ? b.resetAfterMs : 30_000)) x.attempts = 0;
    if (trigger.type === 'exited') x.startedAt = undefined;
    x.attempts += 1;
    let lo = 0;
    let hi = 0;
    if (b) {
      const base = baseBackoffDelay(b, x.attempts);
      lo = Math.round(base);
      hi = lo;
      if (b.jitter > 0) {
        lo = Math.floor(base * (1 - b.jitter));
        hi = Math.ceil(Math.min(b.maxMs, base * (1 + b.jitter)));
      }
      if (delayMs > b.maxMs && waitingFor < delayMs) fail('backoff', `${x.spec.id} delay ${delayMs} passes maxMs ${b.maxMs}`);
    }
    const min = Math.max(lo, waitingFor);
    const max = Math.max(hi, waitingFor);
    if (delayMs < min || delayMs > max) {
      const range = min === max ? `${min}` : `${min}..${max}`;
      fail('backoff', `'${sup.path}' restart of ${x.spec.id} (attempt ${x.attempts}) after ${delayMs} ms, expected ${range}`);
    }
  }

  function onIntensityExceeded(sup: SupTrack, t: number): void {
    const trigger = sup.last;
    if (!trigger || (trigger.type !== 'exited' && trigger.type !== 'start_failed')) {
      fail('well_formed', `intensity_exceeded in '${sup.path}' not right after an exit or a failed start`);
    }
    const inWindow = sup.restarts.filter((s) => t - s <= sup.spec.periodMs).length;
    if (inWindow !== sup.spec.maxRestarts) fail('intensity', `intensity_exceeded in '${sup.path}' with ${inWindow} restarts in the window (maxRestarts ${sup.spec.maxRestarts})`);
    sup.pending = [];
    sup.inProgress = null;
    sup.expect = { stops: new Set(sup.running().map((c) => c.spec.id)), invariant: 'intensity', thenExit: 'max_intensity', why: 'intensity exceeded' };
  }

  function onSupervisorExited(sup: SupTrack, reason: ExitReasonKind): void {
    const busy = sup.present().filter((c) => c.status !== 'stopped');
    if (busy.length > 0) fail('final_state', `'${sup.path}' exited ${reason} with ${busy.map((c) => `${c.spec.id} ${c.status}`).join(', ')}`);
    for (const [path] of live) {
      if (path !== sup.path && (sup.path === '' || path.startsWith(`${sup.path}/`))) fail('final_state', `'${sup.path}' exited while '${path}' still runs`);
    }
    live.delete(sup.path);
    if (sup.path === '') {
      rootExited = true;
      return;
    }
    const parent = live.get(parentOf(sup.path));
    const c = parent?.children.get(sup.path.slice(sup.path.lastIndexOf('/') + 1));
    // A supervisor that never finished its init is a failed start to its parent, not an exit.
    if (c?.status === 'starting') {
      if (reason !== 'start_failed') fail('well_formed', `'${sup.path}' exited ${reason} before it finished starting`);
      return;
    }
    unreported.set(sup.path, reason);
  }

  function strategyInvariant(sup: SupTrack): InvariantName {
    return sup.spec.strategy;
  }
}

/** Renders violations with the trace around each (two events either side), for a failing test's message. */
export function formatViolations(trace: readonly TraceEvent[], violations: readonly Violation[], limit = 5): string {
  return violations
    .slice(0, limit)
    .map((v) => {
      const head = `[${v.invariant}] ${v.message}`;
      if (v.index < 0) return head;
      const lines = [];
      for (let i = Math.max(0, v.index - 2); i <= Math.min(trace.length - 1, v.index + 2); i++) {
        lines.push(`${i === v.index ? '  > ' : '    '}[${i}] ${formatTraceEvent(trace[i]!)}`);
      }
      return `${head}\n${lines.join('\n')}`;
    })
    .concat(violations.length > limit ? [`... and ${violations.length - limit} more`] : [])
    .join('\n');
}
