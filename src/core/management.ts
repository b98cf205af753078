/**
 * OTP's management requests (`start_child`, `terminate_child`, `restart_child`, `delete_child`), decided
 * on an idle supervisor. The decision is a pure function of the state and the request: this module only
 * reads the state, and the step function carries the decision out, so the two never call each other.
 * None of the requests counts toward restart intensity.
 */
import type { ManagementResult, SupervisorInput } from './events.js';
import type { NormalizedChildSpec } from './child-spec.js';
import type { SupervisorState } from './state.js';

/** A management request as the core receives it, numbered by the shell for its reply. */
export type ManagementRequest = Extract<SupervisorInput, { request: number }>;

/** What to do about one management request; the step function carries it out and replies. */
type RequestDecision =
  /** Answer at once; nothing changes. */
  | { kind: 'reply'; result: ManagementResult }
  /** Start the child as an operation (adding `add` first, for `startChild`); the reply comes when it ends. */
  | { kind: 'start'; op: 'start_child' | 'restart_child'; id: string; add?: NormalizedChildSpec }
  /** Stop the running child as an operation; the reply comes when it has exited. */
  | { kind: 'stop'; id: string }
  /** Settle a child that is not running: cancel its pending restart, remove its spec, as flagged; answer ok. */
  | { kind: 'settle'; id: string; cancelRestart: boolean; remove: boolean };

/** Decides one management request; the supervisor is idle (no operation running). */
export function decideRequest(s: SupervisorState, input: ManagementRequest): RequestDecision {
  if (s.phase !== 'running') return refuse('stopped');
  if (input.type === 'start_child') {
    if (s.children.get(input.spec.id) !== undefined) return refuse('already_present');
    if (s.dynamic && s.children.order.length >= s.dynamic.maxChildren) return refuse('max_children');
    return { kind: 'start', op: 'start_child', id: input.spec.id, add: input.spec };
  }
  const rec = s.children.get(input.id);
  if (rec === undefined) return refuse('not_found');
  switch (input.type) {
    case 'terminate_child':
      if (rec.status === 'running') return { kind: 'stop', id: input.id };
      // A dynamic supervisor keeps no stopped children; a temporary child is never kept stopped.
      return { kind: 'settle', id: input.id, cancelRestart: rec.status === 'restarting', remove: rec.spec.restart === 'temporary' || s.dynamic !== null };
    case 'restart_child':
      if (rec.status === 'running') return refuse('running');
      if (rec.status === 'restarting') return refuse('restarting');
      return { kind: 'start', op: 'restart_child', id: input.id };
    case 'delete_child':
      if (rec.status === 'running') return refuse('running');
      if (rec.status === 'restarting') return refuse('restarting');
      return { kind: 'settle', id: input.id, cancelRestart: false, remove: true };
  }
}

type Refusal = Exclude<Extract<ManagementResult, { ok: false }>['error'], 'start_failed'>;

function refuse(error: Refusal): RequestDecision {
  return { kind: 'reply', result: { ok: false, error } };
}
