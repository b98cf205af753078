import { Children } from './children.js';
import type { ExitReason } from '../protocol/exit-reason.js';
import type { NormalizedChildSpec } from './child-spec.js';
import type { NormalizedFlags } from './supervisor-flags.js';
import type { SupervisorInput } from './events.js';

/** One step of a sequential operation: start one child, or stop some (several at once = in parallel). */
export type OpStep = { do: 'start'; id: string; restart: boolean } | { do: 'stop'; ids: string[] };

/** What the operation is for; decides what happens when it fails and when it ends. */
export type OpKind = 'init' | 'init_failed' | 'restart' | 'shutdown' | 'start_child' | 'terminate_child' | 'restart_child';

/** The one operation a supervisor runs at a time (OTP's supervisor is blocked while it runs). */
export interface Operation {
  kind: OpKind;
  steps: OpStep[];
  /** Children whose start or stop the operation waits for. */
  awaiting: Set<string>;
  /** Children this operation started (an init that fails stops them again). */
  started: string[];
  /** Children to remove once stopped (temporary siblings of a group restart). */
  removeAfterStop: ReadonlySet<string>;
  request?: number;
  exitReason?: ExitReason;
  failedChild?: string;
}

/** A restart waiting for its backoff timer: the group starts in `ids` order when `key` fires. */
export interface PendingGroup {
  key: number;
  ids: string[];
  dueAt: number;
}

/** A nested supervisor's shutdown timeout, armed when it was asked to stop. */
export interface KillTimer {
  id: string;
  afterMs: number;
}

/** Whether this is a static supervisor or a dynamic one (one template, unordered parallel shutdown). */
export interface DynamicMode {
  maxChildren: number;
}

/**
 * A supervisor's whole state. `step` updates it in place and hands it back: a supervisor's state belongs to
 * its machine alone, and copying it on every input would cost more than the simulator's budget allows.
 * Everything it depends on comes in through `step`'s arguments (time) or was injected here (randomness).
 */
export interface SupervisorState {
  readonly name: string;
  readonly flags: NormalizedFlags;
  readonly dynamic: DynamicMode | null;
  readonly children: Children;
  /** Monotonic stamps of recent restart decisions (intensity). */
  restarts: number[];
  phase: 'new' | 'starting' | 'running' | 'stopping' | 'exited';
  op: Operation | null;
  /** Inputs that arrived while an operation ran, handled in arrival order once it ends. */
  deferred: SupervisorInput[];
  groups: PendingGroup[];
  /**
   * Shutdown timers of nested supervisors being stopped, by timer key: when one fires while its child is
   * still stopping, the child is killed after `afterMs`. Keys come from `nextTimerKey`, as restart timers'.
   */
  killTimers: Map<number, KillTimer>;
  nextTimerKey: number;
  /** The injected random source, used only for backoff jitter. */
  readonly random: () => number;
  exitReason: ExitReason | null;
}

/** Creates the state of a supervisor that has not started yet. Feed it `{type:'init'}` to start. */
export function createSupervisorState(options: {
  name: string;
  flags: NormalizedFlags;
  children: readonly NormalizedChildSpec[];
  random: () => number;
  dynamic?: DynamicMode | null;
}): SupervisorState {
  const children = new Children();
  for (const spec of options.children) children.add(spec);
  return {
    name: options.name,
    flags: options.flags,
    dynamic: options.dynamic ?? null,
    children,
    restarts: [],
    phase: 'new',
    op: null,
    deferred: [],
    groups: [],
    killTimers: new Map(),
    nextTimerKey: 1,
    random: options.random,
    exitReason: null,
  };
}

/**
 * Records that every child was torn down outside the core's control (the supervisor was killed): all of
 * them are stopped with `reason`, nothing is pending, and the supervisor has exited. Keeps introspection
 * truthful after a kill.
 */
export function abandonChildren(state: SupervisorState, reason: ExitReason): void {
  for (const id of state.children.order) {
    const rec = state.children.get(id)!;
    if (rec.status !== 'stopped') {
      rec.status = 'stopped';
      rec.lastExit = reason;
      rec.dueAt = undefined;
    }
  }
  state.groups = [];
  state.killTimers.clear();
  state.op = null;
  state.deferred = [];
  state.phase = 'exited';
  state.exitReason = reason;
}
