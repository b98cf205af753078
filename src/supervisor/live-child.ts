/**
 * A running child as the shell drives it, whatever it is: the lifecycle code starts, stops, kills and
 * watches children only through this interface. Each kind of child is one adapter (`worker-child.ts`,
 * `supervisor-child.ts`); a pool is one more adapter (`pool-child.ts`), chosen in `STARTERS` by its spec's `pool` field.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import type { SerializedError } from '../protocol/serialized-error.js';
import type { ActorHandle } from '../seams/child-host.js';
import type { NormalizedChildSpec, Shutdown } from '../core/child-spec.js';
import type { TreeContext } from './tree-context.js';
import type { ProcessOptions, SupervisorProcess } from './supervisor.js';
import type { Pool } from '../pool/types.js';

/** One running incarnation of a child. */
export interface LiveChild {
  /** Settles exactly once, with the reason this incarnation ended; never rejects. */
  readonly exited: Promise<ExitReason>;
  /** Asks it to stop within `shutdown` (ms, `'brutal_kill'` or `'infinity'`); `exited` settles when it has. */
  stop(shutdown: Shutdown): void;
  /**
   * Ends it at once with everything it runs (a supervisor: its whole subtree); `exited` settles after.
   * `afterMs` is how long it was given to stop first (a supervisor exits `{killed, afterMs}`).
   */
  kill(afterMs: number): void;
  /** The threads it runs itself: a worker its one thread; a supervisor none (its children own theirs). */
  threadIds(): readonly number[];
  /** The actor refs call, for a child that is one actor (a worker). */
  readonly actor: ActorHandle | undefined;
  /** The nested supervisor, for a child that supervises others: refs and management walk through it. */
  readonly supervisor: SupervisorProcess | undefined;
  /** The pool, for a pool child: `tree.pool(path)` runs jobs on it, `tree()` shows its threads. */
  readonly pool?: Pool;
}

/** What starting a child produced. A failure is a value: the error to report, the worker's own when it has one. */
export type ChildStart =
  | { status: 'started'; child: LiveChild }
  | { status: 'ignored' }
  | { status: 'failed'; error: SerializedError; threadId?: number };

/** What an adapter needs to start a child in a given place of the tree. */
export interface StartContext {
  /** What the child shares with its tree (the host a worker starts on). */
  tree: TreeContext;
  /** The child's own path (`'jobs/w1'`). */
  path: string;
  /** The name of the supervisor starting it (a nested supervisor is named after it by default). */
  parentName: string;
  /** Creates a nested supervisor process; passed in so adapters need no value import of the process class. */
  nest: (options: ProcessOptions) => SupervisorProcess;
}

/** Starts one child of a given kind; never rejects. */
export type ChildStarter<S extends NormalizedChildSpec> = (spec: S, context: StartContext) => Promise<ChildStart>;
