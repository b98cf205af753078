import type { ExitReason } from '../protocol/exit-reason.js';
import { isNormalExit } from '../protocol/exit-reason.js';

/** OTP's restart types: whether a child is restarted after it exits on its own. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** What a supervisor does with a child that exited unasked. */
export type RestartDecision = 'restart' | 'keep_stopped' | 'remove';

/**
 * OTP's `do_restart`, one row per restart type: permanent always restarts; transient restarts only
 * after an abnormal exit and is otherwise kept stopped; temporary is never restarted and is removed.
 */
export function restartDecision(restart: RestartType, reason: ExitReason): RestartDecision {
  switch (restart) {
    case 'permanent':
      return 'restart';
    case 'transient':
      return isNormalExit(reason) ? 'keep_stopped' : 'restart';
    case 'temporary':
      return 'remove';
  }
}
