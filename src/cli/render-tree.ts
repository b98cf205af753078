/**
 * `threadvisor tree`'s screen: a tree snapshot (what `sup.tree()` returns, as the health server's `/tree`
 * serves it in JSON) as aligned text, one child a line. Pure: the same snapshot, options and time give
 * the same text, so tests compare it whole.
 */
import { createColors } from 'picocolors';
import { formatExitReason, type ExitReason } from '../protocol/exit-reason.js';
import type { SupervisorTree, TreeNode } from '../supervisor/introspection.js';

/** How to render. */
export interface RenderOptions {
  /** ANSI colours (statuses, restarts, dim details); `false` for plain text (no TTY, `NO_COLOR`). */
  color: boolean;
  /** Wall-clock time of the snapshot, in ms since the epoch, shown in the header (UTC). */
  now: number;
}

type Colors = ReturnType<typeof createColors>;

/**
 * Renders a tree snapshot: a header (root name, strategy, phase, time), then each child with its
 * status, restart count, uptime (running) or when its restart is due (restarting), and its thread
 * (worker) or strategy (supervisor); a child that is not running shows its last exit reason.
 *
 * @example
 * renderTree(sup.tree(), { color: false, now: Date.now() })
 * // root  one_for_one  running  13:40:02Z
 * // └─ counter  worker  running  restarts 0  up 1.2s  thread 1
 */
export function renderTree(snapshot: SupervisorTree, options: RenderOptions): string {
  const c = createColors(options.color);
  const rows: Cell[][] = [];
  collect(snapshot.children, '', rows, c);
  const header = `${c.bold(snapshot.name)}  ${snapshot.strategy}  ${paintPhase(snapshot.phase, c)}  ${c.dim(clock(options.now))}`;
  if (rows.length === 0) return `${header}\n${c.dim('(no children)')}\n`;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.text.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell.painted : cell.painted + ' '.repeat(widths[i]! - cell.text.length)))
      .join('  ')
      .trimEnd());
  return `${header}\n${lines.join('\n')}\n`;
}

/** A cell's plain text (for widths) and its painted form (for output). */
interface Cell {
  text: string;
  painted: string;
}

const cell = (text: string, paint: (s: string) => string = (s) => s): Cell => ({ text, painted: paint(text) });

function collect(nodes: readonly TreeNode[], indent: string, rows: Cell[][], c: Colors): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    const branch = `${indent}${last ? '└─ ' : '├─ '}`;
    rows.push([
      { text: branch + node.id, painted: c.dim(branch) + node.id },
      cell(node.type, c.dim),
      cell(node.status, (s) => paintStatus(node.status, s, c)),
      cell(`restarts ${node.restartCount}`, node.restartCount > 0 ? c.yellow : (s) => s),
      cell(timing(node)),
      cell(detail(node), c.dim),
    ]);
    if (node.children !== undefined) collect(node.children, `${indent}${last ? '   ' : '│  '}`, rows, c);
  });
}

function timing(node: TreeNode): string {
  if (node.status === 'running' && node.uptimeMs !== undefined) return `up ${duration(node.uptimeMs)}`;
  if (node.status === 'restarting' && node.nextRestartInMs !== undefined) return `restart in ${duration(node.nextRestartInMs)}`;
  return '-';
}

function detail(node: TreeNode): string {
  const parts: string[] = [];
  if (node.type === 'worker' && node.threadId !== undefined) parts.push(`thread ${node.threadId}`);
  if (node.pool !== undefined) parts.push(poolText(node.pool));
  if (node.type === 'supervisor' && node.strategy !== undefined) parts.push(node.strategy);
  if (node.status !== 'running' && node.lastExit !== undefined) parts.push(`last exit: ${exitText(node.lastExit)}`);
  return parts.join('  ');
}

/** A pool's threads and load: `pool 2 busy 1 idle +spare  queued 5  dead letters 1`. */
function poolText(pool: NonNullable<TreeNode['pool']>): string {
  const threads = Array.isArray(pool.threads) ? pool.threads : [];
  const count = (state: string): number => threads.filter((t) => t.state === state).length;
  const parts = [`pool ${count('busy')} busy ${count('idle')} idle${count('spare') > 0 ? ' +spare' : ''}`, `queued ${pool.queued}`];
  if (pool.deadLetters > 0) parts.push(`dead letters ${pool.deadLetters}`);
  return parts.join('  ');
}

/** A reason from JSON may be anything a newer server sends: never let it break the screen. */
function exitText(reason: ExitReason): string {
  try {
    return formatExitReason(reason);
  } catch {
    return String((reason as { kind?: unknown }).kind ?? '?');
  }
}

function paintStatus(status: TreeNode['status'], text: string, c: Colors): string {
  switch (status) {
    case 'running':
      return c.green(text);
    case 'restarting':
    case 'starting':
    case 'stopping':
      return c.yellow(text);
    case 'stopped':
      return c.red(text);
  }
}

function paintPhase(phase: SupervisorTree['phase'], c: Colors): string {
  if (phase === 'running') return c.green(phase);
  if (phase === 'exited') return c.red(phase);
  return c.yellow(phase);
}

/**
 * A duration in ms, short: `850ms`, `12.3s`, `4m05s`, `2h03m`, `3d04h`.
 * @example
 * duration(65_000) // '1m05s'
 */
export function duration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  if (t < 1000) return `${t}ms`;
  if (t < 60_000) return `${(Math.floor(t / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(t / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

/** `HH:MM:SSZ` in UTC, so the screen reads the same in every time zone. */
function clock(now: number): string {
  return `${new Date(now).toISOString().slice(11, 19)}Z`;
}
