import type { ExitReason } from '../protocol/exit-reason.js';

/** Every event a supervision tree emits. All of a tree's supervisors emit on the root's emitter. */
export interface SupervisorEvents {
  /** A child is running: started at boot, by `startChild`/`restartChild`, or restarted (`restart: true`). */
  'child:started': (event: { supervisor: string; id: string; restart: boolean; restartCount: number; threadId?: number }) => void;
  /** A child was restarted automatically (also emitted as `child:started` with `restart: true`). */
  'child:restarted': (event: { supervisor: string; id: string; restartCount: number; threadId?: number }) => void;
  /** A child exited; `requested` is true when its supervisor had asked it to stop. */
  'child:exited': (event: { supervisor: string; id: string; reason: ExitReason; requested: boolean }) => void;
  /** A child could not be started. */
  'child:start_failed': (event: { supervisor: string; id: string; reason: ExitReason }) => void;
  /** A restart was decided; the `children` start in this order after `delayMs` (backoff). */
  'restart:scheduled': (event: { supervisor: string; trigger: string; children: string[]; delayMs: number; attempt: number }) => void;
  /** A restart would exceed the supervisor's intensity (`maxRestarts` in `periodMs`): it gives up. */
  'intensity:exceeded': (event: { supervisor: string; trigger: string; reason: ExitReason; maxRestarts: number; periodMs: number }) => void;
  /** A supervisor exited `max_intensity`: its parent now decides (at the root, the tree is done). */
  escalated: (event: { supervisor: string; reason: ExitReason; root: boolean }) => void;
  /** A supervisor has exited, for whatever reason; every child of it has stopped. */
  'supervisor:stopped': (event: { supervisor: string; reason: ExitReason }) => void;
}

/** The name of a supervisor event. */
export type SupervisorEventName = keyof SupervisorEvents;
