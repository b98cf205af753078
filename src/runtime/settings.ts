/**
 * Validates a {@link WorkerStartOptions} and fills in its defaults, so the thread code reads plain values.
 * The rules are the one worker options schema (`options/worker-options.ts`) that child specs use too; on
 * top of it, the runtime decides what a module may be (a usable `file:` URL), since that needs Node.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { SHARE_ENV } from 'node:worker_threads';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidSpecError, type SpecIssue } from '../errors.js';
import type { WorkerStartOptions } from '../seams/child-host.js';
import { MAX_TIMER_MS, WORKER_DEFAULTS } from '../options/defaults.js';
import { specIssues } from '../options/issues.js';
import { render } from '../options/render.js';
import { callTimeoutMsRule, shutdownRule } from '../options/rules.js';
import { MODULE_ACCEPTED, hostStartOptionsSchema } from '../options/worker-options.js';
import type { Logger } from 'pino';
import type { ActorSelf } from '../protocol/actor-context.js';
import type { PeerDirectory } from '../seams/peers.js';

/** Default heartbeat interval (ms). */
export const DEFAULT_HEARTBEAT_MS = WORKER_DEFAULTS.heartbeatMs;
/** Default time to load the module and run `init` (ms). */
export const DEFAULT_START_TIMEOUT_MS = WORKER_DEFAULTS.startTimeoutMs;
/** Default call timeout (ms). */
export const DEFAULT_CALL_TIMEOUT_MS = WORKER_DEFAULTS.callTimeoutMs;
/** Default shutdown timeout of a worker (ms), as in OTP. */
export const DEFAULT_SHUTDOWN_MS = WORKER_DEFAULTS.shutdownMs;

/** A timer delay for `ms`, kept within what Node timers accept (an `Infinity` timeout waits ~24 days per arming). */
export function clampDelay(ms: number): number {
  // Node fires a timer of more than MAX_TIMER_MS (2^31-1) after 1 ms.
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_TIMER_MS);
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
  env: Record<string, string | undefined> | typeof SHARE_ENV | undefined;
  execArgv: string[] | undefined;
  heartbeatMs: number | false;
  startTimeoutMs: number;
  callTimeoutMs: number;
  /** The identity a supervisor gave the actor, if any (`ctx.self`). */
  self: ActorSelf | undefined;
  /** Where the actor's `ctx.ref` and `ctx.monitor` resolve names: its tree's; `undefined` outside a tree. */
  peers: PeerDirectory | undefined;
}

/** Checks the options; throws `InvalidSpecError` (`ERR_INVALID_SPEC`) listing every problem, nothing spawned. */
export function resolveSettings(options: WorkerStartOptions, logger: Logger): ThreadSettings {
  const parsed = hostStartOptionsSchema.safeParse(options);
  const issues: SpecIssue[] = parsed.success ? [] : specIssues(parsed.error.issues, options);
  // The module is checked by the runtime only once its shape is right; its issue leads, as `module` leads the options.
  const url = issues.some((i) => i.path === 'module' || i.path === '') ? undefined : moduleUrl((options as { module: unknown }).module);
  if (typeof url === 'string') issues.unshift({ path: 'module', message: url });
  if (!parsed.success || url === undefined || typeof url === 'string') throw new InvalidSpecError('worker options', issues);
  const o = parsed.data;
  return {
    logger,
    url,
    label: o.name ?? url.pathname,
    args: o.args,
    name: o.name,
    resourceLimits: o.resourceLimits,
    env: o.env as ThreadSettings['env'],
    execArgv: o.execArgv,
    heartbeatMs: o.heartbeatMs ?? WORKER_DEFAULTS.heartbeatMs,
    startTimeoutMs: o.startTimeoutMs ?? WORKER_DEFAULTS.startTimeoutMs,
    callTimeoutMs: o.callTimeoutMs ?? WORKER_DEFAULTS.callTimeoutMs,
    self: o.self,
    peers: o.peers as PeerDirectory | undefined,
  };
}

/**
 * Checks a call timeout given per call or per reference: the rule of `callTimeoutMs` (whole ms up to
 * 2^31-1, or `Infinity`). Throws `InvalidSpecError` (`ERR_INVALID_SPEC`).
 */
export function assertTimeout(timeoutMs: unknown, path: string): asserts timeoutMs is number {
  const checked = callTimeoutMsRule.safeParse(timeoutMs);
  if (!checked.success) throw new InvalidSpecError('call options', specIssues(checked.error.issues, timeoutMs).map((i) => ({ ...i, path })));
}

/**
 * Checks the `shutdown` of a stop request (the rule of a child spec's `shutdown`). Throws
 * `InvalidSpecError` (`ERR_INVALID_SPEC`).
 */
export function assertShutdown(shutdown: unknown): asserts shutdown is number | 'brutal_kill' | 'infinity' {
  const checked = shutdownRule.safeParse(shutdown);
  if (!checked.success) throw new InvalidSpecError('stop options', specIssues(checked.error.issues, shutdown).map((i) => ({ ...i, path: 'shutdown' })));
}

/**
 * The `file:` URL of a worker module given as a URL or an absolute path, or why it cannot be one (a
 * message in the grammar). The one place that decides what a worker module may be; supervisors check on
 * top of it that the file exists and is not a directory. Never throws.
 */
export function moduleUrl(module: unknown): URL | string {
  let url: URL | undefined;
  try {
    // Duck-typed: a URL made in another realm (a vm context, jest) fails `instanceof URL`.
    if (typeof module === 'object' && module !== null && typeof (module as URL).href === 'string') {
      url = new URL((module as URL).href);
    } else if (typeof module === 'string') {
      if (/^file:/i.test(module)) url = new URL(module);
      else if (isAbsolute(module)) url = pathToFileURL(module);
    }
  } catch (error) {
    return `expected ${MODULE_ACCEPTED}; given ${render(module)} (${(error as Error).message})`;
  }
  if (url === undefined || url.protocol !== 'file:') return `expected ${MODULE_ACCEPTED}; given ${render(module)}`;
  try {
    // A host other than localhost, or an encoded '/', has no path on this platform.
    fileURLToPath(url);
  } catch (error) {
    return `expected ${MODULE_ACCEPTED}; given ${render(module)} (${(error as Error).message})`;
  }
  return url;
}
