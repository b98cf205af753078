/**
 * The seam between a worker's messaging and its tree: how the host that runs a thread resolves the names
 * and paths its actors ask for, without knowing supervisors. A supervisor builds one per tree and passes
 * it in `WorkerStartOptions.peers`; the host asks it when an actor wants a channel or a monitor.
 */
import type { DownReason } from '../protocol/messages.js';
import type { ActorHandle } from './child-host.js';

/** What a name or path names now. */
export type Resolution =
  /** A running incarnation, with where it sits. */
  | { ok: true; actor: ActorHandle; path: string; incarnation: number }
  /** Nothing to reach: `detail` says why (`ChildUnavailableError`'s), `timeoutMs` when it waited that long. */
  | { ok: false; detail: string; timeoutMs?: number };

/** One death seen by a monitor (or none: `noproc`). */
export interface Down {
  /** The watched child's path; the target as given for `noproc`. */
  path: string;
  /** The incarnation that ended; `undefined` for `noproc`. */
  incarnation: number | undefined;
  reason: DownReason;
}

/** Resolves the names and paths of one tree for the actors running in it. */
export interface PeerDirectory {
  /**
   * The incarnation `target` (a registered name or a path) names now, waiting up to `timeoutMs` (the
   * child's own call timeout when `undefined`) for one while the child restarts. Never rejects.
   * @param waiting called (once, before it waits) when nothing runs yet, with the child's own call timeout
   * (ms or `Infinity`): what bounds the calls waiting for it that set no timeout of their own.
   */
  resolve(target: string, timeoutMs: number | undefined, waiting?: (callTimeoutMs: number) => void): Promise<Resolution>;
  /**
   * Watches the incarnation `target` names now: `onDown` is called once, when it ends, or soon (never
   * synchronously) with `noproc` when none runs. Returns the function that stops watching.
   */
  monitor(target: string, onDown: (down: Down) => void): () => void;
}
