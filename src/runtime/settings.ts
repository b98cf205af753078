/**
 * Validates a {@link WorkerStartOptions} and fills in its defaults, so the thread code reads plain values.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { SHARE_ENV } from 'node:worker_threads';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpecIssue } from '../errors.js';
import { InvalidSpecError } from '../errors.js';
import type { WorkerStartOptions } from '../seams/child-host.js';
import type { Logger } from 'pino';

/** Default heartbeat interval (ms). */
export const DEFAULT_HEARTBEAT_MS = 1000;
/** Default time to load the module and run `init` (ms). */
export const DEFAULT_START_TIMEOUT_MS = 30_000;
/** Default call timeout (ms). */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** Default shutdown timeout of a worker (ms), as in OTP. */
export const DEFAULT_SHUTDOWN_MS = 5000;

/** The longest delay a Node timer takes; longer ones overflow and fire after 1 ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A timer delay for `ms`, kept within what Node timers accept (an `Infinity` timeout waits ~24 days per arming). */
export function clampDelay(ms: number): number {
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_TIMER_DELAY_MS);
}

/** A {@link WorkerStartOptions} checked and completed. */
export interface ThreadSettings {
  /** Where the host reports what it drops or cannot read (late replies, undecodable messages). */
  logger: Logger;
  url: URL;
  /** How errors name this worker: its `name`, else its module path. */
  label: string;
  args: unknown;
  name: string | undefined;
  resourceLimits: ResourceLimits | undefined;
  env: WorkerStartOptions['env'];
  execArgv: string[] | undefined;
  heartbeatMs: number | false;
  startTimeoutMs: number;
  callTimeoutMs: number;
}

/** Checks the options; throws `InvalidSpecError` listing every problem. */
export function resolveSettings(options: WorkerStartOptions, logger: Logger): ThreadSettings {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidSpecError('worker options', [{ path: '', message: `expected an object with a 'module', got ${shown(options)}` }]);
  }
  const issues: SpecIssue[] = [];
  const url = toModuleUrl(options.module, issues);
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (heartbeatMs !== false && !(isPositive(heartbeatMs) && heartbeatMs <= MAX_TIMER_DELAY_MS)) {
    issues.push({ path: 'heartbeatMs', message: `expected a positive, finite number of ms or false, got ${shown(heartbeatMs)}` });
  }
  const startTimeoutMs = checkTimeout(options.startTimeoutMs, DEFAULT_START_TIMEOUT_MS, 'startTimeoutMs', issues);
  const callTimeoutMs = checkTimeout(options.callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS, 'callTimeoutMs', issues);
  if (options.name !== undefined && typeof options.name !== 'string') {
    issues.push({ path: 'name', message: `expected a string, got ${shown(options.name)}` });
  }
  if (options.execArgv !== undefined && !(Array.isArray(options.execArgv) && options.execArgv.every((a) => typeof a === 'string'))) {
    issues.push({ path: 'execArgv', message: `expected an array of strings, got ${shown(options.execArgv)}` });
  }
  if (options.resourceLimits !== undefined && (typeof options.resourceLimits !== 'object' || options.resourceLimits === null)) {
    issues.push({ path: 'resourceLimits', message: `expected an object (maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb), got ${shown(options.resourceLimits)}` });
  }
  if (options.env !== undefined && options.env !== SHARE_ENV && (typeof options.env !== 'object' || options.env === null)) {
    issues.push({ path: 'env', message: `expected an object of strings or SHARE_ENV, got ${shown(options.env)}` });
  }
  if (issues.length > 0 || url === undefined) throw new InvalidSpecError('worker options', issues);
  return {
    logger,
    url,
    label: options.name ?? url.pathname,
    args: options.args,
    name: options.name,
    resourceLimits: options.resourceLimits,
    env: options.env,
    execArgv: options.execArgv,
    heartbeatMs: heartbeatMs as number | false,
    startTimeoutMs,
    callTimeoutMs,
  };
}

/** Checks a call timeout given per call or per reference (`Infinity` is allowed). */
export function assertTimeout(timeoutMs: unknown, path: string): asserts timeoutMs is number {
  if (!isPositive(timeoutMs)) {
    throw new InvalidSpecError('call options', [{ path, message: `expected a positive number of ms (or Infinity), got ${shown(timeoutMs)}` }]);
  }
}

/**
 * The `file:` URL of a worker module given as a URL or an absolute path, or why it cannot be one. The one
 * place that decides what a worker module may be; supervisors check the file exists on top of it.
 */
export function moduleUrl(module: unknown): URL | string {
  try {
    // Duck-typed: a URL made in another realm (a vm context, jest) fails `instanceof URL`.
    if (typeof module === 'object' && module !== null && typeof (module as URL).href === 'string') {
      const url = new URL((module as URL).href);
      if (url.protocol === 'file:') return url;
    } else if (typeof module === 'string') {
      if (/^file:/i.test(module)) return new URL(module);
      if (isAbsolute(module)) return pathToFileURL(module);
    }
  } catch (error) {
    return `expected a file: URL or an absolute path, got ${shown(module)} (${(error as Error).message})`;
  }
  return `expected a file: URL (new URL('./my.worker.js', import.meta.url)) or an absolute path (a relative path would resolve against the process's cwd), got ${shown(module)}`;
}

function toModuleUrl(module: unknown, issues: SpecIssue[]): URL | undefined {
  const url = moduleUrl(module);
  if (typeof url !== 'string') return url;
  issues.push({ path: 'module', message: url });
  return undefined;
}

function checkTimeout(value: unknown, fallback: number, path: string, issues: SpecIssue[]): number {
  if (value === undefined) return fallback;
  if (isPositive(value)) return value;
  issues.push({ path, message: `expected a positive number of ms (or Infinity), got ${shown(value)}` });
  return fallback;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && value > 0;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
