/**
 * The public face of a supervision tree: `startSupervisor(spec)` validates, starts the children in
 * order, and hands back a `Supervisor` to call, manage, observe and stop the tree.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import type { ChildSpec } from '../core/child-spec.js';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import { parseChildSpec, parseSupervisorSpec } from '../core/validate.js';
import type { ChildHost } from '../seams/child-host.js';
import { ThreadHost } from '../runtime/thread-host.js';
import { realClock } from '../runtime/clock.js';
import type { Clock } from '../seams/clock.js';
import type { SupervisorEvents } from '../observability/events.js';
import type { Report } from '../core/events.js';
import { createMetrics } from '../observability/metrics.js';
import { defaultLogger } from '../observability/logger.js';
import { checkModules } from './spec-checks.js';
import { SupervisorProcess, type TreeContext } from './supervisor.js';
import { TreeHandle } from './tree-handle.js';

/** Options of a tree that are not part of its spec. */
export interface StartOptions {
  /** Your pino logger; reports go to it as OTP-shaped records. @default pino at level 'warn' */
  logger?: Logger;
  /** Where children run. @default a worker_threads host */
  host?: ChildHost;
  /** The random source for backoff jitter. @default Math.random */
  random?: () => number;
  /** Monotonic time and timers. @default performance.now() and setTimeout */
  clock?: Clock;
  /**
   * Sees every supervisor report of the tree as it happens (path `''` is the root). For telemetry of your
   * own and for the test kit's real-thread traces; events (`on`) are the usual way to observe a tree.
   */
  tap?: (path: string, report: Report, now: number) => void;
}

/** A running supervision tree (its root supervisor). */
export class Supervisor extends TreeHandle {
  /** @internal Use `startSupervisor`. */
  constructor(root: SupervisorProcess) {
    super(root);
  }

  /**
   * Adds a child to the root and starts it. Rejects with `AlreadyPresentError`, `InvalidSpecError`, or
   * `StartError` (then the spec is not kept). Never counts toward restart intensity.
   */
  async startChild(spec: ChildSpec): Promise<void> {
    const normalized = parseChildSpec(spec);
    checkModules([normalized], this.root.tree.host, 'child spec', 'children');
    return this.root.request({ type: 'start_child', spec: normalized }, normalized.id);
  }

  /** Starts a stopped child again. Rejects with `ChildRunningError`, `ChildRestartingError`, `ChildNotFoundError`. */
  restartChild(id: string): Promise<void> {
    return this.root.request({ type: 'restart_child', id }, id);
  }

  /** Removes a stopped child's spec. Rejects with `ChildRunningError`, `ChildRestartingError`, `ChildNotFoundError`. */
  deleteChild(id: string): Promise<void> {
    return this.root.request({ type: 'delete_child', id }, id);
  }
}

/** Builds the context a tree's supervisors share. */
export function treeContext(options: StartOptions): TreeContext {
  const logger = options.logger ?? defaultLogger();
  return {
    host: options.host ?? new ThreadHost({ logger }),
    emitter: new EventEmitter<SupervisorEvents>(),
    logger,
    metrics: createMetrics(),
    random: options.random ?? Math.random,
    clock: options.clock ?? realClock,
    watchers: new Set(),
    tap: options.tap,
    incarnations: new Map(),
  };
}

/**
 * Validates `spec` (throwing `InvalidSpecError` before anything starts), then starts the children one by
 * one in order. Resolves once all run; if one fails, the started ones are stopped in reverse order and it
 * rejects with a `StartError` naming the child, its cause attached.
 *
 * @example
 * const sup = await startSupervisor({
 *   strategy: 'one_for_one', maxRestarts: 3, periodMs: 5000,
 *   children: [worker({ id: 'counter', module: new URL('./counter.worker.js', import.meta.url) })],
 * });
 */
export async function startSupervisor(spec: SupervisorSpec, options: StartOptions = {}): Promise<Supervisor> {
  const normalized = parseSupervisorSpec(spec);
  const tree = treeContext(options);
  checkModules(normalized.children, tree.host, 'supervisor spec');
  const name = normalized.name ?? 'root';
  const root = new SupervisorProcess({ name, flags: normalized, children: normalized.children, tree, root: true });
  await root.start();
  return new Supervisor(root);
}
