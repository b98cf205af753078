/**
 * Management requests in flight: each gets a number the core echoes in its reply, and the reply settles
 * the caller's promise, a refusal as a typed error.
 */
import type { ExitReason } from '../protocol/exit-reason.js';
import type { ManagementResult } from '../core/events.js';
import {
  AlreadyPresentError, ChildNotFoundError, ChildRestartingError, ChildRunningError, MaxChildrenError, StartError,
  SupervisorStoppedError,
} from '../errors.js';

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
  id: string;
}

/** The pending requests of one supervisor. */
export class Requests {
  readonly #supervisor: string;
  readonly #pending = new Map<number, Pending>();
  #next = 1;

  constructor(supervisor: string) {
    this.#supervisor = supervisor;
  }

  /** Registers a request about child `id`; `send` posts it with its number. Settles with the reply. */
  open(id: string, send: (request: number) => void): Promise<void> {
    const request = this.#next++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(request, { resolve, reject, id });
      send(request);
    });
  }

  /** Whether request `request` still waits for its reply. */
  waiting(request: number): boolean {
    return this.#pending.has(request);
  }

  /** Settles one request with the core's reply; `maxChildren` names the cap in a `max_children` refusal. */
  reply(request: number, result: ManagementResult, context: { maxChildren: number; exitReason: ExitReason | null }): void {
    const pending = this.#pending.get(request);
    if (pending === undefined) return;
    this.#pending.delete(request);
    if (result.ok) return pending.resolve();
    pending.reject(refusal(this.#supervisor, pending.id, result, context));
  }

  /** Rejects request `request` (or every one) with `SupervisorStoppedError`: the supervisor has exited. */
  rejectStopped(reason: ExitReason, request?: number): void {
    for (const [n, pending] of this.#pending) {
      if (request !== undefined && n !== request) continue;
      this.#pending.delete(n);
      pending.reject(new SupervisorStoppedError(this.#supervisor, reason));
    }
  }
}

function refusal(supervisor: string, id: string, result: Extract<ManagementResult, { ok: false }>, context: { maxChildren: number; exitReason: ExitReason | null }): Error {
  switch (result.error) {
    case 'not_found':
      return new ChildNotFoundError(id, { supervisor });
    case 'running':
      return new ChildRunningError(id);
    case 'restarting':
      return new ChildRestartingError(id);
    case 'already_present':
      return new AlreadyPresentError(id);
    case 'max_children':
      return new MaxChildrenError(context.maxChildren);
    case 'stopped':
      return new SupervisorStoppedError(supervisor, context.exitReason ?? undefined);
    case 'start_failed': {
      const r = result.reason;
      return new StartError(id, r.kind === 'start_failed' ? r.error : { name: 'StartError', message: `start ended with ${r.kind}` });
    }
  }
}
