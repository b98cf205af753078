/**
 * An opt-in HTTP server for probes and scrapers, on loopback by default: `/healthz` (alive), `/readyz`
 * (critical children running), `/metrics` (Prometheus text) and `/tree` (the supervision tree as JSON).
 * It reads the tree through `tree()` only, answers with fixed bodies on error, and is hardened so a slow
 * or malformed client cannot block or crash the process it watches.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { SupervisorTree } from '../supervisor/introspection.js';
import { HealthServerError, InvalidSpecError, type SpecIssue } from '../errors.js';
import { render } from '../options/render.js';
import { defaultLogger } from '../observability/logger.js';
import { containLogger } from '../observability/contained-logger.js';
import { loggerProblem } from '../options/start-options.js';
import { readiness, type Readiness } from './readiness.js';

/** What the server reads: any supervisor handle (`Supervisor`, `DynamicSupervisor`) has `tree()`. */
export interface HealthTarget {
  tree(): SupervisorTree;
}

/** A metrics registry: prom-client's `Registry` (and its global `register`) fits. */
export interface MetricsRegistry {
  /** The exposition text. */
  metrics(): Promise<string> | string;
  /** Its `Content-Type`. */
  contentType: string;
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** The TCP port; 0 picks a free one (read it from `url`). */
  port: number;
  /**
   * The address to listen on. Keep it on loopback unless a proxy or a token guards it: `/tree` tells how
   * your process is built. @default '127.0.0.1'
   */
  host?: string;
  /**
   * When set, every path but `/healthz` needs `Authorization: Bearer <token>` (else 401 with
   * `WWW-Authenticate: Bearer`). Compared in constant time. @default none (no authentication)
   */
  token?: string;
  /**
   * What `/metrics` serves. @default prom-client's global `register`, loaded on the first scrape when
   * prom-client is installed; without it `/metrics` answers 501.
   */
  registry?: MetricsRegistry;
  /**
   * Paths of the children (`'db'`, `'jobs/queue'`) that must run for `/readyz` to answer 200.
   * @default the significant children; if none, every permanent child of every running supervisor
   */
  criticalChildren?: readonly string[];
  /** Where handler errors and dropped clients are logged. @default pino at level 'warn' */
  logger?: Logger;
  /**
   * How long a client may take to send its request headers (ms); a client that stalls longer is cut
   * off. The whole request gets twice as long, an idle kept-alive connection half. @default 5000
   */
  headersTimeoutMs?: number;
  /** Concurrent connections accepted; more are refused at once. @default 64 */
  maxConnections?: number;
}

/** A running health server. */
export interface HealthServer {
  /** Where it listens: `http://127.0.0.1:9464`. */
  readonly url: string;
  /**
   * From now on `/readyz` answers 503 (with `draining: true`), whatever the tree says: call it when a
   * shutdown begins, so a load balancer stops sending traffic before the first child stops. `/healthz`
   * keeps answering 200 (the process is alive, and a failing liveness probe would get it killed). It
   * cannot be undone: a process that began stopping never serves again. Calling it again is harmless.
   */
  drain(): void;
  /** Stops listening and drops every open connection; resolves once closed. Calling it again is harmless. */
  close(): Promise<void>;
}

const PATHS = new Set(['/healthz', '/readyz', '/metrics', '/tree']);
const ALLOW = 'GET, HEAD';

/**
 * Starts the health server of a tree.
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`) when an option is not as documented (rejects).
 * @throws HealthServerError (`ERR_HEALTH_SERVER`) when it cannot listen (the port is taken...) (rejects).
 *
 * @example
 * import { startHealthServer, startSupervisor } from 'threadvisor';
 * const sup = await startSupervisor(spec);
 * const health = await startHealthServer(sup, { port: 9464, criticalChildren: ['db'] });
 * // curl http://127.0.0.1:9464/readyz
 * await health.close();
 */
export async function startHealthServer(sup: HealthTarget, options: HealthServerOptions): Promise<HealthServer> {
  check(sup, options);
  const host = options.host ?? '127.0.0.1';
  const logger = containLogger(options.logger ?? defaultLogger());
  const headersTimeout = options.headersTimeoutMs ?? 5000;
  const tokenDigest = options.token === undefined ? undefined : digest(options.token);
  let registry: Promise<MetricsRegistry | null> | undefined = options.registry === undefined ? undefined : Promise.resolve(options.registry);

  const server = createServer({
    requestTimeout: headersTimeout * 2,
    headersTimeout,
    keepAliveTimeout: Math.max(1, Math.floor(headersTimeout / 2)),
    // Node checks the two timeouts above on this period (30 s by default), so it bounds how long a
    // stalled client really lingers.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 2))),
    maxHeaderSize: 8192,
  });
  server.maxHeadersCount = 32;
  server.maxConnections = options.maxConnections ?? 64;
  // A malformed request (or one past a limit) is the client's problem: drop it, never throw.
  server.on('clientError', (error: Error, socket: Socket) => {
    logger.debug({ context: 'health_server', err: error }, 'dropped a malformed health request');
    socket.destroy();
  });

  // Set by drain(): the process is shutting down, so it is not ready whatever the tree's snapshot says.
  let draining = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // No endpoint takes a body: read and discard whatever comes so the connection stays usable.
    req.resume();
    const path = pathOf(req.url);
    if (!PATHS.has(path)) return send(res, 404, 'text/plain', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n', { Allow: ALLOW });
    if (path !== '/healthz' && tokenDigest !== undefined && !authorized(req.headers.authorization, tokenDigest)) {
      return send(res, 401, 'text/plain', 'unauthorized\n', { 'WWW-Authenticate': 'Bearer realm="threadvisor"' });
    }
    switch (path) {
      case '/healthz':
        // Answering at all proves the event loop turns; nothing else is checked, on purpose: a liveness
        // probe that fails on a dependency restarts a process that is fine.
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz': {
        const judged = readiness(sup.tree(), options.criticalChildren);
        const r: Readiness = draining ? { ...judged, ready: false, draining: true } : judged;
        return send(res, r.ready ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`);
      }
      case '/tree':
        return send(res, 200, 'application/json', `${JSON.stringify(sup.tree())}\n`);
      default: {
        registry ??= loadDefaultRegistry(logger);
        const source = await registry;
        if (source === null) return send(res, 501, 'text/plain', 'metrics unavailable: prom-client is not installed (npm install prom-client), and no registry was given\n');
        return send(res, 200, source.contentType, await source.metrics());
      }
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // The client learns only that it failed: a message or a stack could tell how the process is built.
      logger.error({ context: 'health_server', path: pathOf(req.url), err: error }, 'a health endpoint failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => reject(new HealthServerError(host, options.port, { cause: error }));
    server.once('error', failed);
    server.listen(options.port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  // After listening, a server error (rare: the socket breaks) is logged, never thrown into the process.
  server.on('error', (error: Error) => logger.error({ context: 'health_server', err: error }, 'the health server failed'));
  if (options.token === undefined && !isLoopback(host)) {
    logger.warn({ context: 'health_server', host }, 'the health server listens beyond loopback without a token: /tree and /metrics are open to the network');
  }
  return {
    url: urlOf(server, host),
    drain: () => {
      draining = true;
    },
    close: closer(server),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type.includes('charset') ? type : `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares hashes of equal length, so neither the token's length nor its prefix leaks through timing. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m !== null && timingSafeEqual(digest(m[1]!), expected);
}

async function loadDefaultRegistry(logger: Logger): Promise<MetricsRegistry | null> {
  try {
    const prom = (await import('prom-client')) as { register?: MetricsRegistry; default?: { register?: MetricsRegistry } };
    return prom.register ?? prom.default?.register ?? null;
  } catch (error) {
    // An optional peer dependency: its absence is an expected state, answered 501 (said at debug). One that
    // is installed but fails to load is a broken install, and must not pass for an absent one.
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') logger.debug({ context: 'health_server', err: error }, 'prom-client is not installed; /metrics answers 501');
    else logger.error({ context: 'health_server', err: error }, 'prom-client is installed but failed to load; /metrics answers 501');
    return null;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function urlOf(server: Server, host: string): string {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function closer(server: Server): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      // The error of a second close ("not running") is no news: closing is idempotent here.
      server.close(() => resolve());
      // Probes and scrapes are short and retried: dropping one in flight beats waiting on a stalled client.
      server.closeAllConnections();
    });
    return closing;
  };
}

function check(sup: HealthTarget, options: HealthServerOptions): void {
  if (typeof (sup as Partial<HealthTarget> | null)?.tree !== 'function') {
    throw new InvalidSpecError('health server options', [{ path: '(supervisor)', message: `expected a supervisor handle with a tree() method; given ${render(sup)}` }]);
  }
  assertHealthServerOptions(options);
}

/**
 * Checks health server options as {@link startHealthServer} does, without a tree: `run()` calls it before
 * the tree starts, so a bad `health` option is refused before any thread exists.
 * @throws InvalidSpecError (`ERR_INVALID_SPEC`, `'health server options'`) naming each wrong key.
 */
export function assertHealthServerOptions(options: HealthServerOptions): void {
  const issues: SpecIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    issues.push({ path: '', message: `expected { port, host?, token?, registry?, criticalChildren?, logger?, headersTimeoutMs?, maxConnections? }; given ${render(options)}` });
    throw new InvalidSpecError('health server options', issues);
  }
  const { port, host, token, registry, criticalChildren, logger, headersTimeoutMs, maxConnections } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) issues.push({ path: 'port', message: `expected a whole number from 0 to 65535; given ${render(port)}` });
  if (host !== undefined && (typeof host !== 'string' || host === '')) issues.push({ path: 'host', message: `expected a host name or address; given ${render(host)}` });
  if (token !== undefined && (typeof token !== 'string' || token === '')) issues.push({ path: 'token', message: `expected a non-empty string; given ${render(token)}` });
  if (registry !== undefined && (typeof registry?.metrics !== 'function' || typeof registry?.contentType !== 'string')) {
    issues.push({ path: 'registry', message: `expected a prom-client Registry (metrics() and contentType); given ${render(registry)}` });
  }
  if (criticalChildren !== undefined && !(Array.isArray(criticalChildren) && criticalChildren.every((p) => typeof p === 'string' && p !== ''))) {
    issues.push({ path: 'criticalChildren', message: `expected an array of child paths such as ['db', 'jobs/queue']; given ${render(criticalChildren)}` });
  }
  // The server logs at debug, warn and error: a logger missing one would throw inside a socket handler.
  const badLogger = logger === undefined ? null : loggerProblem(logger);
  if (badLogger !== null) issues.push({ path: 'logger', message: badLogger });
  if (headersTimeoutMs !== undefined && !(Number.isInteger(headersTimeoutMs) && headersTimeoutMs >= 100 && headersTimeoutMs <= 600_000)) {
    issues.push({ path: 'headersTimeoutMs', message: `expected a whole number of ms from 100 to 600000; given ${render(headersTimeoutMs)}` });
  }
  if (maxConnections !== undefined && !(Number.isInteger(maxConnections) && maxConnections >= 1)) issues.push({ path: 'maxConnections', message: `expected a whole number >= 1; given ${render(maxConnections)}` });
  if (issues.length > 0) throw new InvalidSpecError('health server options', issues);
}
