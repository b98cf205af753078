/**
 * The read-only view of one running supervisor that code outside it (refs, handles, introspection, the
 * dynamic supervisor) reads, so none of it depends on how the core keeps its records.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ChildStatus } from '../core/children.js';
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { AutoShutdown, Strategy } from '../core/supervisor-flags.js';
import type { SupervisorState } from '../core/state.js';
import type { LiveChild } from './live-child.js';

/** One child as its supervisor sees it now. A live view: read it, do not keep it across awaits. */
interface ChildView {
  /** The spec it was started from, defaults filled in. */
  readonly spec: NormalizedChildSpec;
  /** Where it is in its life. */
  readonly status: ChildStatus;
  /** Automatic restarts that completed, over the child's lifetime. */
  readonly restartCount: number;
  /** When the current incarnation started (the tree clock's monotonic ms), while it runs. */
  readonly startedAt?: number | undefined;
  /** When a pending restart is due (monotonic ms), while `restarting`. */
  readonly dueAt?: number | undefined;
  /** How its last incarnation ended, once one has. */
  readonly lastExit?: ExitReason | undefined;
}

/** What can be read of a supervisor from outside. */
export interface SupervisorQuery {
  /** Where the supervisor is in its life. */
  readonly phase: SupervisorState['phase'];
  /** Its exit reason once it has exited, else `null`. */
  readonly exitReason: ExitReason | null;
  /** Its restart strategy (`one_for_one` for a dynamic supervisor). */
  readonly strategy: Strategy;
  /** Its auto-shutdown flag (`startChild` refuses a significant child under 'never'). */
  readonly autoShutdown: AutoShutdown;
  /** Its children's ids, in start order. */
  ids(): readonly string[];
  /** The child with this id, or `undefined` when it holds none. */
  child(id: string): ChildView | undefined;
  /** The running incarnation of this child, or `undefined` when none runs now. */
  live(id: string): LiveChild | undefined;
}

/** Builds the query of a supervisor from its core state and its running children. */
export function createQuery(state: SupervisorState, live: ReadonlyMap<string, LiveChild>, exitReason: () => ExitReason | null): SupervisorQuery {
  return {
    get phase() {
      return state.phase;
    },
    get exitReason() {
      return exitReason();
    },
    strategy: state.flags.strategy,
    autoShutdown: state.flags.autoShutdown,
    ids: () => state.children.order,
    child: (id) => state.children.get(id),
    live: (id) => live.get(id),
  };
}
