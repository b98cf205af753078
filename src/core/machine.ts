/**
 * The supervisor as a pure state machine: `step(state, input, now)` decides, and returns the effects for
 * the shell (real threads and timers) or the simulator (virtual ones) to carry out. Every supervision
 * decision is made here, so production and the test kit cannot disagree.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import type { Effect, ManagementResult, Report, SupervisorInput } from './events.js';
import type { ChildRecord } from './children.js';
import type { OpKind, OpStep, Operation, SupervisorState } from './state.js';
import { addRestart } from './restart-intensity.js';
import { attemptAfterRun, backoffDelay, type Backoff } from './backoff.js';
import { restartDecision } from './restart-decision.js';
import { restartPlan } from './strategy.js';
import { decideRequest, type ManagementRequest } from './management.js';

/** The result of one step: the same state object, updated, and the effects to carry out in order. */
export interface StepResult {
  state: SupervisorState;
  effects: Effect[];
}

/** Feeds one input to a supervisor at monotonic time `now` (ms). */
export function step(state: SupervisorState, input: SupervisorInput, now: number): StepResult {
  const fx: Effect[] = [];
  dispatch(state, input, now, fx);
  return { state, effects: fx };
}

/** Everything one step needs, passed along instead of closed over. */
export interface Ctx {
  s: SupervisorState;
  now: number;
  fx: Effect[];
}

function dispatch(s: SupervisorState, input: SupervisorInput, now: number, fx: Effect[]): void {
  const c: Ctx = { s, now, fx };
  if (s.phase === 'exited') {
    if ('request' in input) replyStopped(c, input.request);
    return;
  }
  switch (input.type) {
    case 'init':
      if (s.phase !== 'new') throw new Error(`threadvisor core: '${s.name}' got init twice`);
      s.phase = 'starting';
      begin(c, 'init', s.children.order.map((id) => ({ do: 'start', id, restart: false })));
      return;
    case 'started':
    case 'start_failed':
    case 'ignored':
      onStartResult(c, input);
      return;
    case 'exited':
      onExit(c, input.id, input.reason);
      return;
    case 'timer':
    case 'stop':
    case 'start_child':
    case 'terminate_child':
    case 'restart_child':
    case 'delete_child':
      // A nested supervisor's shutdown timeout fires while the stop it guards runs: it cannot wait behind it.
      if (input.type === 'timer' && s.killTimers.has(input.key)) return onKillTimer(c, input.key);
      if (s.op !== null) {
        if (!(input.type === 'stop' && s.op.kind === 'shutdown')) s.deferred.push(input);
        return;
      }
      if (input.type === 'timer') onTimer(c, input.key);
      else if (input.type === 'stop') beginShutdown(c, { kind: 'shutdown' });
      else onRequest(c, input);
      return;
  }
}

// ---- operations -------------------------------------------------------------------------------

/** Starts an operation (the supervisor is idle) and runs it as far as it goes without waiting. */
function begin(c: Ctx, kind: OpKind, steps: OpStep[], extra?: Partial<Operation>): void {
  const op: Operation = { kind, steps, awaiting: new Set(), started: [], removeAfterStop: extra?.removeAfterStop ?? NO_REMOVALS };
  if (extra?.request !== undefined) op.request = extra.request;
  if (extra?.exitReason !== undefined) op.exitReason = extra.exitReason;
  c.s.op = op;
  advance(c);
}

/** Shared by every operation that removes nothing after its stops (most of them); never written to. */
const NO_REMOVALS: ReadonlySet<string> = new Set();

function advance(c: Ctx): void {
  const op = c.s.op!;
  while (op.awaiting.size === 0) {
    const next = op.steps.shift();
    if (next === undefined) return finish(c, op);
    if (next.do === 'start') startStep(c, op, next.id);
    else for (const id of next.ids) stopStep(c, op, id);
  }
}

function startStep(c: Ctx, op: Operation, id: string): void {
  const rec = c.s.children.get(id);
  if (rec === undefined) return;
  // A restart only starts members still waiting for it (a stale step must never start a stopped child).
  if (op.kind === 'restart' && rec.status !== 'restarting') return;
  if (op.kind !== 'restart' && rec.status !== 'stopped') return;
  const restart = op.kind === 'restart';
  rec.status = 'starting';
  rec.dueAt = undefined;
  op.awaiting.add(id);
  report(c, { type: 'child_starting', id, restart });
  c.fx.push({ type: 'start', id, spec: rec.spec });
}

function stopStep(c: Ctx, op: Operation, id: string): void {
  const rec = c.s.children.get(id);
  if (rec === undefined || (rec.status !== 'running' && rec.status !== 'starting')) return;
  // The child may already be dead with its exit waiting in the mailbox: that exit is the stop (OTP's
  // shutdown/2 receives the pending 'EXIT' the same way), so no stop request goes out.
  const waiting = c.s.deferred.findIndex((i) => i.type === 'exited' && i.id === id);
  if (waiting >= 0) {
    const [input] = c.s.deferred.splice(waiting, 1);
    settleStopped(c, op, rec, (input as { reason: ExitReason }).reason, false);
    return;
  }
  rec.status = 'stopping';
  op.awaiting.add(id);
  const { shutdown } = rec.spec;
  report(c, { type: 'child_stopping', id, shutdown });
  if (rec.spec.type === 'supervisor' && shutdown !== 'infinity') return stopSupervisorWithin(c, id, shutdown);
  // A worker's timeout is its host's to enforce (ActorHandle.stop kills the thread past `shutdown`): the
  // host is the one place that also serves a standalone startWorker and knows when the heartbeat stops
  // judging a thread asked to stop, so a second timer here would only be a second source for one rule.
  c.fx.push({ type: 'stop', id, shutdown });
}

/**
 * Stops a nested supervisor within a finite `shutdown`. No host stands behind a nested supervisor, so the
 * core keeps its timeout: the timer is armed before the stop request goes out (the timeout runs from the
 * request, and at an exact tie in virtual time it fires first), and `onKillTimer` kills the subtree if it
 * is still stopping then. `brutal_kill` and `0` leave no time to stop: the subtree is killed at once, with
 * no stop request (OTP's brutal_kill is an unconditional kill, never a shutdown first).
 */
function stopSupervisorWithin(c: Ctx, id: string, shutdown: number | 'brutal_kill'): void {
  const afterMs = shutdown === 'brutal_kill' ? 0 : shutdown;
  if (afterMs <= 0) {
    c.fx.push({ type: 'kill', id, afterMs: 0 });
    return;
  }
  const key = c.s.nextTimerKey++;
  c.s.killTimers.set(key, { id, afterMs });
  c.fx.push({ type: 'schedule', key, delayMs: afterMs });
  c.fx.push({ type: 'stop', id, shutdown });
}

/** A nested supervisor's shutdown timeout fired: kill it if it is still stopping (its exit cancels the timer). */
function onKillTimer(c: Ctx, key: number): void {
  const timer = c.s.killTimers.get(key)!;
  c.s.killTimers.delete(key);
  if (c.s.children.get(timer.id)?.status === 'stopping') c.fx.push({ type: 'kill', id: timer.id, afterMs: timer.afterMs });
}

/** The child stopped in time: its shutdown timer, if it has one, must not fire. */
function cancelKillTimer(c: Ctx, id: string): void {
  for (const [key, timer] of c.s.killTimers) {
    if (timer.id !== id) continue;
    c.s.killTimers.delete(key);
    c.fx.push({ type: 'cancel', key });
  }
}

function finish(c: Ctx, op: Operation): void {
  const s = c.s;
  s.op = null;
  switch (op.kind) {
    case 'init':
      s.phase = 'running';
      c.fx.push({ type: 'ready' });
      break;
    case 'init_failed':
    case 'shutdown':
      exit(c, op.exitReason!, op.failedChild);
      return;
    case 'start_child':
    case 'terminate_child':
    case 'restart_child':
      c.fx.push({ type: 'reply', request: op.request!, result: { ok: true } });
      break;
    case 'restart':
      break;
  }
  // Inputs that waited for the operation run now, in arrival order, until one starts a new operation.
  while (s.op === null && s.deferred.length > 0 && s.phase !== 'exited') {
    dispatch(s, s.deferred.shift()!, c.now, c.fx);
  }
}

function exit(c: Ctx, reason: ExitReason, failedChild?: string): void {
  const s = c.s;
  s.phase = 'exited';
  s.exitReason = reason;
  for (const input of s.deferred) if ('request' in input) replyStopped(c, input.request);
  s.deferred = [];
  report(c, { type: 'supervisor_exited', reason });
  c.fx.push(failedChild === undefined ? { type: 'exit', reason } : { type: 'exit', reason, failedChild });
}

/** Cancels every pending restart, stops the running children in reverse start order, then exits. */
export function beginShutdown(c: Ctx, reason: ExitReason): void {
  const s = c.s;
  s.phase = 'stopping';
  for (const group of s.groups) {
    c.fx.push({ type: 'cancel', key: group.key });
    for (const id of group.ids) markStopped(s.children.get(id));
    report(c, { type: 'restart_cancelled', children: group.ids });
  }
  s.groups = [];
  const running = s.children.runningReversed();
  // A dynamic supervisor's children are unordered, so they stop in parallel (Elixir's DynamicSupervisor).
  const steps: OpStep[] = s.dynamic ? [{ do: 'stop', ids: running }] : running.map((id) => ({ do: 'stop', ids: [id] }));
  begin(c, 'shutdown', steps, { exitReason: reason });
}

function markStopped(rec: ChildRecord | undefined): void {
  if (rec !== undefined && rec.status === 'restarting') {
    rec.status = 'stopped';
    rec.dueAt = undefined;
  }
}

// ---- results of starts and stops ----------------------------------------------------------------

function onStartResult(c: Ctx, input: Extract<SupervisorInput, { type: 'started' | 'start_failed' | 'ignored' }>): void {
  const op = c.s.op;
  const rec = c.s.children.get(input.id);
  if (op === null || rec === undefined || !op.awaiting.has(input.id) || rec.status !== 'starting') {
    throw new Error(`threadvisor core: '${c.s.name}' got ${input.type} for '${input.id}', which it was not starting`);
  }
  op.awaiting.delete(input.id);
  const restart = op.kind === 'restart';
  if (input.type === 'started') {
    rec.status = 'running';
    rec.startedAt = c.now;
    if (restart) rec.restartCount += 1;
    op.started.push(input.id);
    report(c, { type: 'child_started', id: input.id, spec: rec.spec, restart, restartCount: rec.restartCount });
  } else if (input.type === 'ignored') {
    rec.status = 'stopped';
    report(c, { type: 'child_ignored', id: input.id });
    // A dynamic supervisor keeps no stopped children (Elixir's DynamicSupervisor returns :ignore and forgets it).
    if (rec.spec.restart === 'temporary' || c.s.dynamic) removeChild(c, input.id);
  } else {
    rec.status = 'stopped';
    rec.startedAt = undefined;
    rec.lastExit = input.reason;
    report(c, { type: 'child_start_failed', id: input.id, spec: rec.spec, reason: input.reason });
    onStartFailed(c, op, rec, input.reason);
    if (c.s.op !== op) return;
  }
  advance(c);
}

function onStartFailed(c: Ctx, op: Operation, rec: ChildRecord, reason: ExitReason): void {
  const id = rec.spec.id;
  switch (op.kind) {
    case 'init':
      // OTP: stop what started, in reverse; never try the later children; nothing is retried.
      op.kind = 'init_failed';
      op.exitReason = reason;
      op.failedChild = id;
      op.steps = [...op.started].reverse().map((sid) => ({ do: 'stop', ids: [sid] }));
      return;
    case 'start_child':
      removeChild(c, id);
      c.s.op = null;
      c.fx.push({ type: 'reply', request: op.request!, result: { ok: false, error: 'start_failed', reason } });
      return finish(c, { ...op, kind: 'restart' });
    case 'restart_child':
      c.s.op = null;
      c.fx.push({ type: 'reply', request: op.request!, result: { ok: false, error: 'start_failed', reason } });
      return finish(c, { ...op, kind: 'restart' });
    case 'restart': {
      const remaining = op.steps.flatMap((st) => (st.do === 'start' ? [st.id] : []));
      op.steps = [];
      c.s.op = null;
      decideRestart(c, id, reason, { retryOf: remaining });
      if (c.s.op === null) finish(c, { ...op, steps: [] });
      return;
    }
    default:
      throw new Error(`threadvisor core: start failed during ${op.kind}`);
  }
}

function onExit(c: Ctx, id: string, reason: ExitReason): void {
  const s = c.s;
  const op = s.op;
  const rec = s.children.get(id);
  if (op !== null) {
    if (rec !== undefined && op.awaiting.has(id) && rec.status === 'stopping') {
      op.awaiting.delete(id);
      cancelKillTimer(c, id);
      settleStopped(c, op, rec, reason, true);
      if (op.awaiting.size === 0) advance(c);
      return;
    }
    if (rec !== undefined && rec.status === 'running' && op.steps.some((st) => st.do === 'stop' && st.ids.includes(id))) {
      // About to be stopped by this operation anyway: its own exit counts as that stop.
      settleStopped(c, op, rec, reason, false);
      return;
    }
    s.deferred.push({ type: 'exited', id, reason });
    return;
  }
  if (rec === undefined || rec.status !== 'running') {
    throw new Error(`threadvisor core: '${s.name}' got an exit of '${id}', which is not running`);
  }
  rec.status = 'stopped';
  rec.lastExit = reason;
  report(c, { type: 'child_exited', id, spec: rec.spec, reason, requested: false });
  switch (restartDecision(rec.spec.restart, reason)) {
    case 'restart':
      decideRestart(c, id, reason, null);
      return;
    case 'remove':
      removeChild(c, id);
      break;
    case 'keep_stopped':
      if (s.dynamic) removeChild(c, id);
      break;
  }
  if (rec.spec.significant) checkAutoShutdown(c);
}

function settleStopped(c: Ctx, op: Operation, rec: ChildRecord, reason: ExitReason, requested: boolean): void {
  const id = rec.spec.id;
  rec.lastExit = reason;
  const waitsForRestart = c.s.groups.some((g) => g.ids.includes(id)) || op.steps.some((st) => st.do === 'start' && st.id === id);
  rec.status = waitsForRestart ? 'restarting' : 'stopped';
  report(c, { type: 'child_exited', id, spec: rec.spec, reason, requested });
  if (op.removeAfterStop.has(id) || (op.kind === 'terminate_child' && (rec.spec.restart === 'temporary' || c.s.dynamic))) {
    removeChild(c, id);
  }
}

function checkAutoShutdown(c: Ctx): void {
  const s = c.s;
  if (s.phase !== 'running' || s.op !== null) return;
  const mode = s.flags.autoShutdown;
  if (mode === 'never') return;
  if (mode === 'all_significant') {
    const anyLeft = s.children.order.some((id) => {
      const r = s.children.get(id)!;
      return r.spec.significant && r.status !== 'stopped';
    });
    if (anyLeft) return;
  }
  beginShutdown(c, { kind: 'shutdown' });
}

// ---- restarts ------------------------------------------------------------------------------------

/**
 * Decides a restart caused by `trigger` (its exit, or with `retry` its failed start): intensity first,
 * then the strategy's group, its backoff, and the stops. `retry.retryOf` lists the members that were
 * still to start when the start failed.
 */
function decideRestart(c: Ctx, trigger: string, reason: ExitReason, retry: { retryOf: string[] } | null): void {
  const s = c.s;
  const { flags } = s;
  const verdict = addRestart(s.restarts, c.now, flags.maxRestarts, flags.periodMs);
  s.restarts = verdict.restarts;
  if (!verdict.allowed) {
    report(c, { type: 'intensity_exceeded', trigger, reason, maxRestarts: flags.maxRestarts, periodMs: flags.periodMs });
    beginShutdown(c, { kind: 'max_intensity', supervisor: s.name, maxRestarts: flags.maxRestarts, periodMs: flags.periodMs, lastReason: reason });
    return;
  }
  const rec = s.children.get(trigger)!;
  let plan = restartPlan(flags.strategy, s.children, trigger);
  if (retry !== null && flags.strategy !== 'one_for_all') {
    plan = { stop: [], start: flags.strategy === 'one_for_one' ? [trigger] : [trigger, ...retry.retryOf] };
  }
  const backoff = backoffOf(c, rec);
  const ranFrom = retry === null ? rec.startedAt : undefined;
  rec.attempt = attemptAfterRun(backoff, rec.attempt, ranFrom, c.now) + 1;
  rec.startedAt = undefined;
  const delay = backoffDelay(backoff, rec.attempt, s.random);

  // A group already waiting that shares members with this one merges into it, due at the later time.
  let ids = new Set(plan.start);
  let dueAt = c.now + delay;
  const keep = [];
  for (const group of s.groups) {
    if (group.ids.some((id) => ids.has(id))) {
      c.fx.push({ type: 'cancel', key: group.key });
      for (const id of group.ids) ids.add(id);
      dueAt = Math.max(dueAt, group.dueAt);
    } else keep.push(group);
  }
  s.groups = keep;
  const members = s.children.inStartOrder(ids);
  for (const id of members) {
    const m = s.children.get(id)!;
    if (m.status === 'stopped' || m.status === 'restarting') m.status = 'restarting';
    m.dueAt = dueAt;
  }
  // Whole ms, rounded once here: a due time minus a fractional `now` carries float noise (1199.9999999999998).
  const delayMs = Math.round(dueAt - c.now);
  report(c, { type: 'restart_scheduled', trigger, children: members, delayMs, attempt: rec.attempt, dueAt });

  const steps: OpStep[] = plan.stop.map((id) => ({ do: 'stop', ids: [id] }));
  const temporary = plan.stop.filter((id) => s.children.get(id)!.spec.restart === 'temporary');
  if (retry === null && dueAt === c.now) {
    for (const id of members) steps.push({ do: 'start', id, restart: true });
  } else {
    const key = s.nextTimerKey++;
    s.groups.push({ key, ids: members, dueAt });
    c.fx.push({ type: 'schedule', key, delayMs });
  }
  if (steps.length > 0) begin(c, 'restart', steps, temporary.length > 0 ? { removeAfterStop: new Set(temporary) } : undefined);
}

function onTimer(c: Ctx, key: number): void {
  const s = c.s;
  const at = s.groups.findIndex((g) => g.key === key);
  if (at < 0) return; // cancelled or merged: a stale timer means nothing
  const [group] = s.groups.splice(at, 1);
  begin(c, 'restart', group!.ids.map((id) => ({ do: 'start', id, restart: true })));
}

function backoffOf(c: Ctx, rec: ChildRecord): Backoff | null {
  const own = rec.spec.type === 'worker' ? rec.spec.backoff : undefined;
  return own === undefined ? c.s.flags.backoff : own;
}

/** Removes a child's spec for good (temporary, dynamic, deleted or failed startChild). */
function removeChild(c: Ctx, id: string): void {
  c.s.children.remove(id);
  report(c, { type: 'child_removed', id });
}

/** Records a report effect. */
function report(c: Ctx, r: Report): void {
  c.fx.push({ type: 'report', report: r });
}

// ---- management requests -------------------------------------------------------------------------

/** Carries out what `decideRequest` decided; every request gets exactly one reply, now or when its operation ends. */
function onRequest(c: Ctx, input: ManagementRequest): void {
  const decision = decideRequest(c.s, input);
  const { request } = input;
  switch (decision.kind) {
    case 'reply':
      return reply(c, request, decision.result);
    case 'start':
      if (decision.add !== undefined) c.s.children.add(decision.add);
      return begin(c, decision.op, [{ do: 'start', id: decision.id, restart: false }], { request });
    case 'stop':
      return begin(c, 'terminate_child', [{ do: 'stop', ids: [decision.id] }], { request });
    case 'settle':
      if (decision.cancelRestart) cancelPendingRestart(c, decision.id);
      if (decision.remove) removeChild(c, decision.id);
      return reply(c, request, { ok: true });
  }
}

/** Answers a request that reached a supervisor that has already exited. */
function replyStopped(c: Ctx, request: number): void {
  reply(c, request, { ok: false, error: 'stopped' });
}

function reply(c: Ctx, request: number, result: ManagementResult): void {
  c.fx.push({ type: 'reply', request, result });
}

/**
 * `terminateChild` on a child waiting for its restart cancels the restart of its whole group at once: the
 * timer is cancelled and every member goes to `stopped` with its spec kept, in one `restart_cancelled`.
 * Taking the one child out and letting the rest start would break the group's reason to exist (under
 * `rest_for_one` C runs only after B; under `one_for_all` all run together). OTP does the same: a group
 * waiting for `try_again_restart` is keyed by the member whose start failed, `terminate_child` clears its
 * `restarting` mark (`del_child`), and `handle_cast({try_again_restart, Id})` then drops the retry, so the
 * later members stay `undefined` (stdlib `supervisor.erl`; `supervisor_SUITE:hanging_restart_loop_rest_for_one`).
 * A group of one (`one_for_one`) is just that child. A merged group is one group, cancelled whole.
 */
function cancelPendingRestart(c: Ctx, id: string): void {
  const s = c.s;
  const at = s.groups.findIndex((g) => g.ids.includes(id));
  // Only an idle supervisor handles requests, so a child `restarting` here always waits in a group.
  if (at < 0) throw new Error(`threadvisor core: '${s.name}' has '${id}' restarting outside any restart group`);
  const [group] = s.groups.splice(at, 1);
  c.fx.push({ type: 'cancel', key: group!.key });
  for (const member of group!.ids) markStopped(s.children.get(member));
  report(c, { type: 'restart_cancelled', children: group!.ids });
}
