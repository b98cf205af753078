/**
 * Crash reports: every crash of a tree goes to one `onCrash(report)` hook (where Sentry or a pager plugs
 * in), fingerprinted so the same bug groups together, and folded per fingerprint and window so a crash
 * loop cannot flood the hook. A report consumer: pass it in the `reporters` start option.
 */
import type { Logger } from 'pino';
import type { Clock } from '../seams/clock.js';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import { MAX_TIMER_MS } from '../options/defaults.js';
import { loggerProblem } from '../options/start-options.js';
import { render } from '../options/render.js';
import type { DeliveredReport, ReportConsumer } from './delivered-report.js';
import { crashOf, type Crash } from './crash.js';
import { fingerprintOptionIssues, type FingerprintOptions } from './crash-fingerprint.js';
import { defaultLogger } from './logger.js';
import { containLogger } from './contained-logger.js';

/** One crash report: a crash (or a window's worth of the same one) handed to `onCrash`. */
export interface CrashReport extends Crash {
  /** True when this fingerprint was never seen before in this process: the report to alert on. */
  firstSeen: boolean;
  /**
   * How many crashes this report stands for, since the previous report of the same fingerprint: 1 for a
   * report made at once, the number folded for a window's summary. Summing `count` counts every crash once.
   */
  count: number;
  /** Crashes with this fingerprint in this process so far, this report's included. */
  total: number;
  /** Wall-clock time (ISO 8601) of the first crash this report stands for. */
  firstAt: string;
  /** Wall-clock time (ISO 8601) of the last one; its reason and error are the ones shown. */
  lastAt: string;
}

/** Options of {@link crashReporter}. */
export interface CrashReporterOptions extends FingerprintOptions {
  /**
   * Called with each report. May return a promise; a throw or a rejection is logged (error level,
   * `context: 'crash_reporter_error'`, the report included) and never reaches the tree.
   */
  onCrash: (report: CrashReport) => void | Promise<void>;
  /**
   * The folding window (ms). The first crash of a fingerprint never seen before is reported at once; the
   * repeats within `windowMs` of it, and every crash of an already known fingerprint, are folded into one
   * report with a `count`, made when the window closes. @default 60000
   */
  windowMs?: number;
  /**
   * How many fingerprints are remembered (for `firstSeen` and `total`); past it the least recently seen
   * one is forgotten, and would count as new again. Bounds memory when crashes vary endlessly (generated
   * code). @default 1000
   */
  maxFingerprints?: number;
  /** Where a failing `onCrash` is logged. @default pino at level 'warn' (the tree's default logger) */
  logger?: Logger;
  /** Timers and monotonic time, for tests (the test kit's virtual clock). @default unref'd real timers */
  clock?: Clock;
}

/** A crash reporter: a report consumer for `reporters`, with its pending windows under your control. */
export interface CrashReporter extends ReportConsumer {
  /** Closes every open window now, reporting what each folded (call it before the process exits). */
  flush(): void;
  /**
   * Flushes, then clears every timer. Crashes seen afterwards are reported one by one, at once (nothing
   * is dropped, nothing waits on a timer). Calling it again is harmless.
   */
  dispose(): void;
  /** How many windows are open (fingerprints with a report still to come). */
  readonly pending: number;
}

interface Window {
  last: Crash;
  /** Crashes folded and not yet reported. */
  count: number;
  total: number;
  firstAt: number;
  lastAt: number;
  timer: unknown;
}

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_MAX_FINGERPRINTS = 1000;

/**
 * Builds a crash reporter. A crash is a child's abnormal exit it was not asked for, a failed start, or an
 * escalation (a supervisor exceeding its restart intensity).
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when an option is not as documented.
 *
 * @example
 * import { crashReporter, startSupervisor } from 'threadvisor';
 * const crashes = crashReporter({ onCrash: (r) => console.error(r.firstSeen ? 'NEW' : `x${r.count}`, r.fingerprint) });
 * const sup = await startSupervisor(spec, { reporters: [crashes] });
 * // ...and on the way out:
 * crashes.dispose();
 */
export function crashReporter(options: CrashReporterOptions): CrashReporter {
  check(options);
  const { onCrash, clock } = options;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxFingerprints = options.maxFingerprints ?? DEFAULT_MAX_FINGERPRINTS;
  const fingerprinting: FingerprintOptions = {
    ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
    ...(options.root === undefined ? {} : { root: options.root }),
  };
  let logger: Logger | undefined;
  /** Fingerprint -> crashes so far; insertion order is recency order (re-inserted on each crash). */
  const seen = new Map<string, number>();
  const open = new Map<string, Window>();
  let disposed = false;

  const deliver = (report: CrashReport): void => {
    const failed = (error: unknown): void => {
      // A logger that throws too still leaves a line on stderr (containLogger): the crash is never lost.
      logger ??= containLogger(options.logger ?? defaultLogger());
      // The report goes into the log line: a broken hook must not make a crash vanish.
      logger.error({ context: 'crash_reporter_error', fingerprint: report.fingerprint, crash: report, err: error }, 'onCrash failed; the crash report is logged here instead');
    };
    try {
      const result = onCrash(report);
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') (result as Promise<void>).then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  };

  const close = (fingerprint: string): void => {
    const w = open.get(fingerprint);
    if (w === undefined) return;
    open.delete(fingerprint);
    if (clock !== undefined) clock.clearTimer(w.timer);
    else clearTimeout(w.timer as ReturnType<typeof setTimeout>);
    if (w.count > 0) deliver({ ...w.last, firstSeen: false, count: w.count, total: w.total, firstAt: iso(w.firstAt), lastAt: iso(w.lastAt) });
  };

  const schedule = (fingerprint: string): unknown => {
    const fire = (): void => close(fingerprint);
    const handle = clock === undefined ? setTimeout(fire, windowMs) : clock.setTimer(fire, windowMs);
    // A pending summary must never keep a process alive that is otherwise done: flush() on the way out.
    (handle as { unref?: () => void } | null)?.unref?.();
    return handle;
  };

  const consume = function crashReports(delivered: DeliveredReport): void {
    const crash = crashOf(delivered, fingerprinting);
    if (crash === null) return;
    const { fingerprint } = crash;
    const firstSeen = !seen.has(fingerprint);
    const total = (seen.get(fingerprint) ?? 0) + 1;
    seen.delete(fingerprint);
    seen.set(fingerprint, total);
    forgetOldest();
    const now = Date.now();
    const w = open.get(fingerprint);
    if (w !== undefined) {
      w.last = crash;
      w.count += 1;
      w.total = total;
      if (w.count === 1) w.firstAt = now;
      w.lastAt = now;
      return;
    }
    if (disposed || firstSeen) deliver({ ...crash, firstSeen, count: 1, total, firstAt: iso(now), lastAt: iso(now) });
    if (disposed) return;
    // A new fingerprint was reported above; its window only folds the repeats. A known one waits in full.
    open.set(fingerprint, { last: crash, count: firstSeen ? 0 : 1, total, firstAt: now, lastAt: now, timer: schedule(fingerprint) });
  };

  const forgetOldest = (): void => {
    if (seen.size <= maxFingerprints) return;
    for (const key of seen.keys()) {
      if (open.has(key)) continue;
      seen.delete(key);
      if (seen.size <= maxFingerprints) return;
    }
  };

  const flush = (): void => {
    for (const fingerprint of [...open.keys()]) close(fingerprint);
  };

  return Object.defineProperties(consume, {
    flush: { value: flush },
    dispose: { value: (): void => {
      flush();
      disposed = true;
    } },
    pending: { get: () => open.size },
  }) as CrashReporter;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function check(options: CrashReporterOptions): void {
  const issues: SpecIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new InvalidSpecError('crash reporter options', [{ path: '', message: `expected { onCrash, windowMs?, maxFingerprints?, logger?, clock?, ignore?, root? }; given ${render(options)}` }]);
  }
  if (typeof options.onCrash !== 'function') issues.push({ path: 'onCrash', message: `expected a function (report) => void; given ${render(options.onCrash)}` });
  const whole = (key: 'windowMs' | 'maxFingerprints', what: string): void => {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_TIMER_MS)) issues.push({ path: key, message: `expected ${what} from 1 to ${MAX_TIMER_MS}; given ${render(v)}` });
  };
  whole('windowMs', 'a whole number of ms');
  whole('maxFingerprints', 'a whole number');
  if (options.clock !== undefined && (typeof options.clock?.setTimer !== 'function' || typeof options.clock?.clearTimer !== 'function')) {
    issues.push({ path: 'clock', message: `expected a clock with methods now, setTimer, clearTimer; given ${render(options.clock)}` });
  }
  const badLogger = options.logger === undefined ? null : loggerProblem(options.logger);
  if (badLogger !== null) issues.push({ path: 'logger', message: badLogger });
  issues.push(...fingerprintOptionIssues(options));
  if (issues.length > 0) throw new InvalidSpecError('crash reporter options', issues);
}
