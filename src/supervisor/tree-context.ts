/**
 * What every supervisor of one tree shares, and the start options that shape it: where children run,
 * time, randomness, and where reports go.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import type { Report } from '../core/events.js';
import type { ChildHost } from '../seams/child-host.js';
import type { Clock } from '../seams/clock.js';
import { ThreadHost } from '../runtime/thread-host.js';
import { realClock } from '../runtime/clock.js';
import type { SupervisorEvents } from '../observability/events.js';
import { createMetrics, type SupervisionMetrics } from '../observability/metrics.js';
import { defaultLogger } from '../observability/logger.js';
import type { ReportConsumer } from '../observability/delivered-report.js';
import type { CallObserver } from '../observability/call-observer.js';
import { countReports } from '../observability/report-counters.js';
import { emitReports } from '../observability/report-events.js';
import { logReports } from '../observability/report-log.js';
import { ReportSink } from './report-sink.js';
import { Registry } from './registry.js';
import type { DeadLetters } from '../pool/dead-letters.js';
import type { PoolEvents } from '../pool/types.js';
import { containLogger } from '../observability/contained-logger.js';
import { assertOptions, startOptionsSchema } from '../options/start-options.js';

/** Options of a tree that are not part of its spec. */
export interface StartOptions {
  /**
   * Your pino logger; reports go to it as OTP-shaped records. Anything with the methods `error`, `warn`,
   * `info` and `debug` will do. One whose method throws is contained: that record goes to stderr as one
   * line and the tree carries on. @default pino at level 'warn'
   */
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
  /**
   * More report consumers (crash reports, prom-client metrics...), after the built-in ones (counters,
   * events, logs), in this order. One that throws is logged and never breaks supervision.
   * @default []
   */
  reporters?: readonly ReportConsumer[];
  /**
   * Sees every call made through the tree's refs once it settles (path, method, duration, outcome): the
   * seam for latency metrics (`prometheusReporter().observeCall`). Unset, a call pays one property read.
   * @default none
   */
  observeCall?: CallObserver;
}

/** What every supervisor of one tree shares: the host, the clock, the report sink and what handles read. */
export interface TreeContext {
  /** Where worker children run. */
  host: ChildHost;
  /** The tree's typed events (handles subscribe here; the events consumer emits here). */
  emitter: EventEmitter<SupervisorEvents>;
  /** Where the shell logs what is not a report (listener errors, broken invariants). */
  logger: Logger;
  /** The tree's counters, kept by the counters consumer; `metrics()` copies them. */
  metrics: SupervisionMetrics;
  /** The random source for backoff jitter, in [0, 1). */
  random: () => number;
  /** Monotonic time (ms) and timers. */
  clock: Clock;
  /** Every report of every supervisor of the tree goes through here. */
  reports: ReportSink;
  /** Called after any supervisor of the tree has handled an input (refs waiting for a child re-check). */
  watchers: Set<() => void>;
  /** The last id number each dynamic supervisor handed out, by path: ids never repeat across its restarts. */
  dynamicIds: Map<string, number>;
  /** Starts so far of each worker path: kept tree-wide so a restarted parent never reuses an incarnation. */
  incarnations: Map<string, number>;
  /** Each pool child's dead letters by path: a restarted pool keeps the letters of the one before. */
  deadLetterBoxes: Map<string, DeadLetters>;
  /** Each pool child's events by path: `tree.pool(path).events` listeners survive the pool's restarts. */
  poolEvents: Map<string, EventEmitter<PoolEvents>>;
  /** Sees each settled call made through a ref, when the start options set one. */
  observeCall: CallObserver | undefined;
  /** Registered names, and the directory the tree's threads resolve names and paths through. */
  registry: Registry;
}

/**
 * Builds the context a tree's supervisors share, its built-in report consumers first.
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when `options` is not `undefined` or a {@link StartOptions}
 * (an unknown key, a logger without `error`, a clock without `now`...), before anything starts.
 */
export function treeContext(options: StartOptions | undefined): TreeContext {
  assertOptions(startOptionsSchema, options, 'start options');
  options ??= {};
  // The user's logger is called in the middle of supervision: a throw there must not break the tree.
  const logger = containLogger(options.logger ?? defaultLogger());
  const emitter = new EventEmitter<SupervisorEvents>();
  const metrics = createMetrics();
  const consumers: ReportConsumer[] = [];
  const observe = options.tap;
  if (observe !== undefined) consumers.push(function tap(d) { observe(d.path, d.report, d.at); });
  consumers.push(countReports(metrics), emitReports(emitter, logger), logReports(logger), ...(options.reporters ?? []));
  return {
    host: options.host ?? new ThreadHost({ logger }),
    emitter,
    logger,
    metrics,
    random: options.random === undefined ? Math.random : containRandom(options.random, logger),
    clock: options.clock ?? realClock,
    reports: new ReportSink(consumers, logger),
    watchers: new Set(),
    dynamicIds: new Map(),
    incarnations: new Map(),
    deadLetterBoxes: new Map(),
    poolEvents: new Map(),
    observeCall: options.observeCall,
    registry: new Registry(),
  };
}

/**
 * The user's random source, kept from breaking supervision: it is called inside a restart decision, where
 * a throw would crash the supervisor's mailbox and kill its subtree. A throw, or a value outside [0, 1),
 * is logged (error, `random_error`) and replaced by `Math.random()` for that one decision.
 */
function containRandom(random: () => number, logger: Logger): () => number {
  return function containedRandom() {
    let value: unknown;
    try {
      value = random();
    } catch (error) {
      logger.error({ context: 'random_error', err: error }, 'the random source threw; this backoff jitter uses Math.random() instead');
      return Math.random();
    }
    if (typeof value === 'number' && value >= 0 && value < 1) return value;
    logger.error({ context: 'random_error', value: String(value) }, 'the random source returned a value outside [0, 1); this backoff jitter uses Math.random() instead');
    return Math.random();
  };
}

