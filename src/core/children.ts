import type { ExitReason } from '../protocol/exit-reason.js';
import type { NormalizedChildSpec } from './child-spec.js';

/** Where a child is in its life, as its supervisor sees it. */
export type ChildStatus = 'stopped' | 'starting' | 'running' | 'stopping' | 'restarting';

/** One child as its supervisor tracks it. */
export interface ChildRecord {
  spec: NormalizedChildSpec;
  status: ChildStatus;
  /** Automatic restarts that completed, over the child's lifetime. */
  restartCount: number;
  /** Consecutive restarts counted by backoff (reset after `resetAfterMs` of uptime). */
  attempt: number;
  /** When the current incarnation started (monotonic ms). */
  startedAt?: number;
  /** When a pending restart is due (status `restarting`). */
  dueAt?: number;
  lastExit?: ExitReason;
}

/**
 * The children of one supervisor: ids in start order plus a map, as OTP keeps them (`{Ids, Db}`).
 * Order matters for every strategy and every shutdown.
 */
export class Children {
  readonly order: string[] = [];
  readonly byId = new Map<string, ChildRecord>();

  add(spec: NormalizedChildSpec): ChildRecord {
    const record: ChildRecord = { spec, status: 'stopped', restartCount: 0, attempt: 0 };
    this.order.push(spec.id);
    this.byId.set(spec.id, record);
    return record;
  }

  get(id: string): ChildRecord | undefined {
    return this.byId.get(id);
  }

  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    const at = this.order.indexOf(id);
    if (at >= 0) this.order.splice(at, 1);
  }

  /** Ids whose status is one of `statuses`, in start order. */
  idsWith(statuses: readonly ChildStatus[]): string[] {
    return this.order.filter((id) => statuses.includes(this.byId.get(id)!.status));
  }

  /** Running (or starting) children in reverse start order: the order of every shutdown. */
  runningReversed(): string[] {
    return this.idsWith(['running', 'starting', 'stopping']).reverse();
  }

  /** Ids after `id` in start order. */
  after(id: string): string[] {
    const at = this.order.indexOf(id);
    return at < 0 ? [] : this.order.slice(at + 1);
  }

  /** Sorts `ids` into start order. */
  inStartOrder(ids: Iterable<string>): string[] {
    const wanted = new Set(ids);
    return this.order.filter((id) => wanted.has(id));
  }
}
