/**
 * `threadvisor tree`: fetches a health server's `/tree` (the JSON of `sup.tree()`) and renders it, once or,
 * with `--watch`, every interval until aborted (Ctrl-C). `fetch` is Node's global one unless a test
 * hands in another.
 */
import type { SupervisorTree, TreeNode } from '../supervisor/introspection.js';
import { EXIT_CODES } from '../daemon/exit-codes.js';
import { renderTree } from './render-tree.js';

/** How long one request may take, in ms, before it counts as unreachable. */
const REQUEST_TIMEOUT_MS = 5000;
/** Clears a terminal and homes the cursor: each redraw replaces the last. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** Options of {@link showTree}. */
export interface ShowTreeOptions {
  /** The `/tree` URL. */
  url: string;
  /** Redraw every `intervalMs` until `signal` aborts. */
  watch: boolean;
  /** Between two fetches, in ms. */
  intervalMs: number;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** ANSI colours. */
  color: boolean;
  /** Clear the screen before each redraw (on a TTY). */
  clear: boolean;
  /** Where screens go (stdout). */
  write: (text: string) => void;
  /** Where errors go (stderr). */
  error: (text: string) => void;
  /** Ends `--watch` (Ctrl-C). */
  signal?: AbortSignal;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Wall-clock time for the header, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/** One fetch: the snapshot, or why there is none and the exit code that says so. */
type FetchResult = { ok: true; tree: SupervisorTree } | { ok: false; code: number; message: string };

/**
 * Shows the tree once (resolving 0, 69 when the server cannot be reached or answers with an HTTP error,
 * 76 when its answer is no tree), or with `watch` until `signal` aborts (resolving 0; a failed fetch is
 * shown and retried on the next tick).
 */
export async function showTree(options: ShowTreeOptions): Promise<number> {
  const now = options.now ?? Date.now;
  const draw = async (): Promise<FetchResult> => {
    const result = await fetchTree(options.url, options.token, options.fetch ?? fetch);
    const prefix = options.watch && options.clear ? CLEAR_SCREEN : '';
    if (result.ok) options.write(prefix + renderTree(result.tree, { color: options.color, now: now() }));
    else if (options.watch) options.write(`${prefix}threadvisor tree: ${result.message} (retrying every ${options.intervalMs} ms)\n`);
    else options.error(`threadvisor tree: ${result.message}\n`);
    return result;
  };
  if (!options.watch) {
    const result = await draw();
    return result.ok ? EXIT_CODES.ok : result.code;
  }
  const { signal } = options;
  while (signal?.aborted !== true) {
    await draw();
    await delay(options.intervalMs, signal);
  }
  return EXIT_CODES.ok;
}

/** Fetches and checks one snapshot. Never throws. */
async function fetchTree(url: string, token: string | undefined, fetchImpl: typeof fetch): Promise<FetchResult> {
  let body: string;
  try {
    const response = await fetchImpl(url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) return { ok: false, code: EXIT_CODES.escalated, message: `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
    body = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, code: EXIT_CODES.escalated, message: `cannot reach ${url}: ${why}` };
  }
  let tree: unknown;
  try {
    tree = JSON.parse(body);
  } catch {
    return { ok: false, code: EXIT_CODES.protocol, message: `${url} answered something that is not JSON` };
  }
  if (!isTree(tree)) return { ok: false, code: EXIT_CODES.protocol, message: `${url} answered JSON that is not a tree snapshot (expected { name, strategy, phase, children })` };
  return { ok: true, tree };
}

function isTree(value: unknown): value is SupervisorTree {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SupervisorTree>;
  return typeof v.name === 'string' && typeof v.strategy === 'string' && typeof v.phase === 'string' && areNodes(v.children);
}

/** What the renderer reads of each node, checked all the way down so a bad answer never breaks the screen. */
function areNodes(value: unknown): boolean {
  return Array.isArray(value) && value.every((n: unknown) => {
    if (typeof n !== 'object' || n === null) return false;
    const node = n as Partial<TreeNode>;
    return typeof node.id === 'string' && typeof node.type === 'string' && typeof node.status === 'string' &&
      typeof node.restartCount === 'number' && (node.children === undefined || areNodes(node.children));
  });
}

/** Waits `ms`, or less when `signal` aborts. */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
