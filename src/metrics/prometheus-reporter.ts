/**
 * Prometheus metrics of supervision trees through prom-client (an optional peer dependency, loaded by
 * this entry only): restarts, crashes by fingerprint, escalations, children by status and call latency.
 */
import { Counter, Gauge, Histogram, register as globalRegister, type Registry } from 'prom-client';
import type { DeliveredReport, ReportConsumer } from '../observability/delivered-report.js';
import type { CallObservation, CallObserver } from '../observability/call-observer.js';
import { fingerprintOptionIssues, type FingerprintOptions } from '../observability/crash-fingerprint.js';
import { crashOf } from '../observability/crash.js';
import type { SupervisorTree, TreeNode } from '../supervisor/introspection.js';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { render } from '../options/render.js';

/** Options of {@link prometheusReporter}. */
export interface PrometheusReporterOptions extends FingerprintOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry;
  /**
   * How many distinct `fingerprint` label values `threadvisor_crashes_total` takes; crashes with a
   * fingerprint past that count under `fingerprint="other"`, so a stream of ever-new crashes cannot grow
   * the series without bound. Shared by every reporter on the same registry. @default 100
   */
  maxFingerprints?: number;
  /**
   * Maps a child's path (`'jobs/w1'`, `'sessions/17'`) to its `child` label. The default keeps the path;
   * under a dynamic supervisor, whose children get fresh ids, map them to one value
   * (`(p) => p.replace(/^sessions\/.*$/, 'sessions/*')`) to keep the series bounded. @default the path
   */
  childLabel?: (path: string) => string;
  /** Buckets of `threadvisor_call_duration_seconds`, in seconds. @default [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] */
  buckets?: readonly number[];
}

/** What {@link prometheusReporter} returns: a report consumer with a call observer and a tree gauge source. */
export interface PrometheusReporter extends ReportConsumer {
  /** The registry the metrics live in (serve it on `/metrics`: `startHealthServer(sup, { registry })`). */
  readonly registry: Registry;
  /** The call observer to pass as the `observeCall` start option, for `threadvisor_call_duration_seconds`. */
  readonly observeCall: CallObserver;
  /**
   * Reads `tree.tree()` at each scrape for `threadvisor_children`; returns a function that stops it.
   * Any supervisor handle will do.
   */
  watch(tree: { tree(): SupervisorTree }): () => void;
}

const STATUSES: readonly TreeNode['status'][] = ['running', 'starting', 'restarting', 'stopping', 'stopped'];
const DEFAULT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics of one registry, shared by every reporter registered there (prom-client allows one per name). */
interface Shared {
  restarts: Counter<'supervisor' | 'child' | 'reason'>;
  crashes: Counter<'fingerprint'>;
  escalations: Counter<'supervisor'>;
  children: Gauge<'supervisor' | 'status'>;
  calls: Histogram<'child' | 'method' | 'outcome'>;
  fingerprints: Set<string>;
  trees: Set<{ tree(): SupervisorTree }>;
}

const byRegistry = new WeakMap<Registry, Shared>();

/**
 * Builds the Prometheus reporter. Pass it in `reporters`, its `observeCall` as the start option of the
 * same name, and `watch` the running tree for the children gauge.
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when an option is not as documented.
 *
 * @example
 * import { startSupervisor, startHealthServer } from 'threadvisor';
 * import { prometheusReporter } from 'threadvisor/metrics';
 * const metrics = prometheusReporter();
 * const sup = await startSupervisor(spec, { reporters: [metrics], observeCall: metrics.observeCall });
 * metrics.watch(sup);
 * await startHealthServer(sup, { port: 9464, registry: metrics.registry });
 */
export function prometheusReporter(options: PrometheusReporterOptions = {}): PrometheusReporter {
  check(options);
  const registry = options.registry ?? globalRegister;
  const shared = sharedOf(registry, options.buckets ?? DEFAULT_BUCKETS);
  const maxFingerprints = options.maxFingerprints ?? 100;
  const childLabel = options.childLabel ?? ((path: string) => path);
  const fingerprinting: FingerprintOptions = {
    ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
    ...(options.root === undefined ? {} : { root: options.root }),
  };
  /** `supervisor\0child` -> the reason kind of the child's last unrequested exit or failed start. */
  const lastCause = new Map<string, string>();
  /** `supervisor\0child` -> why its pending restart was decided (the trigger's cause). */
  const pending = new Map<string, string>();

  const consume = function prometheusMetrics(delivered: DeliveredReport): void {
    const { supervisor, path, report: r } = delivered;
    const key = (id: string): string => `${supervisor}\0${id}`;
    switch (r.type) {
      case 'child_exited':
        if (!r.requested) lastCause.set(key(r.id), r.reason.kind);
        break;
      case 'child_start_failed':
        lastCause.set(key(r.id), 'start_failed');
        break;
      case 'restart_scheduled': {
        // A group restart restarts siblings for the trigger's sake: each counts under the trigger's reason.
        const cause = lastCause.get(key(r.trigger)) ?? 'unknown';
        for (const id of r.children) pending.set(key(id), cause);
        break;
      }
      case 'child_started':
        if (r.restart) {
          const childPath = path === '' ? r.id : `${path}/${r.id}`;
          shared.restarts.inc({ supervisor, child: childLabel(childPath), reason: pending.get(key(r.id)) ?? 'unknown' });
        }
        pending.delete(key(r.id));
        break;
      case 'restart_cancelled':
        for (const id of r.children) pending.delete(key(id));
        break;
      case 'child_removed':
        lastCause.delete(key(r.id));
        pending.delete(key(r.id));
        break;
      case 'supervisor_exited':
        // Its children are gone with it (a dynamic supervisor's never get `child_removed`): keep nothing of
        // theirs, so the maps stay bounded by the children alive, whatever the churn.
        for (const map of [lastCause, pending]) for (const k of map.keys()) if (k.startsWith(`${supervisor}\0`)) map.delete(k);
        break;
      default:
        break;
    }
    const crash = crashOf(delivered, fingerprinting);
    if (crash === null) return;
    shared.crashes.inc({ fingerprint: boundedFingerprint(shared, crash.fingerprint, maxFingerprints) });
    if (crash.kind === 'escalation') shared.escalations.inc({ supervisor: crash.supervisor });
  };

  const observeCall = (call: CallObservation): void => {
    // An untyped caller can name any method; unknown ones share one label value.
    const method = call.outcome === 'ERR_UNKNOWN_METHOD' ? '(unknown)' : call.method;
    shared.calls.observe({ child: childLabel(call.path), method, outcome: call.outcome }, call.durationMs / 1000);
  };

  return Object.defineProperties(consume, {
    registry: { value: registry },
    observeCall: { value: observeCall },
    watch: { value: (tree: { tree(): SupervisorTree }): (() => void) => {
      shared.trees.add(tree);
      return () => void shared.trees.delete(tree);
    } },
  }) as PrometheusReporter;
}

function boundedFingerprint(shared: Shared, fingerprint: string, max: number): string {
  if (shared.fingerprints.has(fingerprint)) return fingerprint;
  if (shared.fingerprints.size >= max) return 'other';
  shared.fingerprints.add(fingerprint);
  return fingerprint;
}

function sharedOf(registry: Registry, buckets: readonly number[]): Shared {
  const known = byRegistry.get(registry);
  if (known !== undefined) return known;
  const trees = new Set<{ tree(): SupervisorTree }>();
  const registers = [registry];
  const shared: Shared = {
    restarts: new Counter({ name: 'threadvisor_restarts_total', help: 'Automatic restarts of children that completed, by the reason of the exit that caused them.', labelNames: ['supervisor', 'child', 'reason'], registers }),
    crashes: new Counter({ name: 'threadvisor_crashes_total', help: 'Crashes (abnormal exits not asked for, failed starts, escalations) by fingerprint; "other" past the fingerprint limit.', labelNames: ['fingerprint'], registers }),
    escalations: new Counter({ name: 'threadvisor_escalations_total', help: 'Supervisors that exceeded their restart intensity and gave up (max_intensity).', labelNames: ['supervisor'], registers }),
    children: new Gauge({
      name: 'threadvisor_children',
      help: 'Children of each supervisor by status, read from the tree at scrape time.',
      labelNames: ['supervisor', 'status'],
      registers,
      collect(this: Gauge<'supervisor' | 'status'>) {
        this.reset();
        for (const tree of trees) {
          const snapshot = tree.tree();
          countStatuses(this, snapshot.name, snapshot.children);
        }
      },
    }),
    calls: new Histogram({ name: 'threadvisor_call_duration_seconds', help: 'Calls made through supervised refs, from the call to its settling (waiting for a restart included).', labelNames: ['child', 'method', 'outcome'], buckets: [...buckets], registers }),
    fingerprints: new Set(),
    trees,
  };
  byRegistry.set(registry, shared);
  return shared;
}

function countStatuses(gauge: Gauge<'supervisor' | 'status'>, supervisor: string, children: readonly TreeNode[]): void {
  const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
  for (const child of children) {
    counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
    if (child.children !== undefined) countStatuses(gauge, `${supervisor}/${child.id}`, child.children);
  }
  for (const [status, n] of counts) gauge.set({ supervisor, status }, n);
}

function check(options: PrometheusReporterOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidSpecError('prometheus reporter options', [{ path: '', message: `expected { registry?, maxFingerprints?, childLabel?, buckets?, ignore?, root? }; given ${render(options)}` }]);
  }
  const issues: SpecIssue[] = [];
  const { registry, maxFingerprints, childLabel, buckets } = options;
  if (registry !== undefined && typeof (registry as Partial<Registry> | null)?.registerMetric !== 'function') issues.push({ path: 'registry', message: `expected a prom-client Registry; given ${render(registry)}` });
  if (maxFingerprints !== undefined && !(Number.isInteger(maxFingerprints) && maxFingerprints >= 1)) issues.push({ path: 'maxFingerprints', message: `expected a whole number >= 1; given ${render(maxFingerprints)}` });
  if (childLabel !== undefined && typeof childLabel !== 'function') issues.push({ path: 'childLabel', message: `expected a function (path) => string; given ${render(childLabel)}` });
  if (buckets !== undefined && !(Array.isArray(buckets) && buckets.length > 0 && buckets.every((b) => typeof b === 'number' && b > 0 && Number.isFinite(b)))) {
    issues.push({ path: 'buckets', message: `expected a non-empty array of bucket bounds in seconds (> 0); given ${render(buckets)}` });
  }
  issues.push(...fingerprintOptionIssues(options));
  if (issues.length > 0) throw new InvalidSpecError('prometheus reporter options', issues);
}
