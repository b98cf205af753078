/**
 * Whether a tree is ready to serve, decided from its `tree()` snapshot alone (pure): every critical child
 * running, in a tree that is itself running.
 */
import type { SupervisorTree, TreeNode } from '../supervisor/introspection.js';

/** A child that keeps the tree from being ready. */
export interface NotReadyChild {
  /** Its path from the root (`'db'`, `'jobs/queue'`). */
  path: string;
  /** Its status, or `'missing'` when no child is there. */
  status: string;
}

/** The answer of `/readyz`. */
export interface Readiness {
  ready: boolean;
  /** The root supervisor's phase (`running` when it serves). */
  phase: SupervisorTree['phase'];
  /** What is not ready (empty when ready), at most {@link MAX_LISTED}, in tree order. */
  notReady: NotReadyChild[];
  /** Which children were judged: `'critical'` (given), `'significant'` or `'permanent'` (the defaults). */
  judged: 'critical' | 'significant' | 'permanent';
  /**
   * Present (and `ready` false) once the health server was told the process is shutting down (a daemon's
   * SIGTERM, fatal error or escalation): the tree may still look fine, but it is about to stop.
   */
  draining?: true;
}

/** How many not-ready children a readiness answer lists: it is a short probe answer, not a dump. */
const MAX_LISTED = 20;

interface Flat {
  path: string;
  node: TreeNode;
  /** Whether every supervisor above it is running (a child of a restarting supervisor is not there). */
  reachable: boolean;
}

/**
 * Judges a snapshot. `critical` paths, when given, must all be running. Otherwise the significant
 * children (anywhere in the tree) must be; and if there are none, every permanent child of every running
 * supervisor. In every case the root must be in its `running` phase.
 */
export function readiness(tree: SupervisorTree, critical?: readonly string[]): Readiness {
  const all = flatten(tree.children, '', true);
  let judged: Readiness['judged'];
  let watched: { path: string; node: TreeNode | undefined }[];
  if (critical !== undefined && critical.length > 0) {
    judged = 'critical';
    const byPath = new Map(all.filter((f) => f.reachable).map((f) => [f.path, f.node]));
    watched = critical.map((path) => ({ path, node: byPath.get(path) }));
  } else {
    const significant = all.filter((f) => f.node.significant === true);
    judged = significant.length > 0 ? 'significant' : 'permanent';
    const chosen = significant.length > 0 ? significant : all.filter((f) => f.node.restart === 'permanent' && f.reachable);
    watched = chosen.map((f) => ({ path: f.path, node: f.reachable ? f.node : undefined }));
  }
  const notReady: NotReadyChild[] = [];
  for (const { path, node } of watched) {
    if (node?.status === 'running') continue;
    notReady.push({ path, status: node?.status ?? 'missing' });
  }
  return { ready: tree.phase === 'running' && notReady.length === 0, phase: tree.phase, notReady: notReady.slice(0, MAX_LISTED), judged };
}

function flatten(nodes: readonly TreeNode[], prefix: string, reachable: boolean): Flat[] {
  return nodes.flatMap((node) => {
    const path = prefix === '' ? node.id : `${prefix}/${node.id}`;
    const here: Flat = { path, node, reachable };
    return [here, ...flatten(node.children ?? [], path, reachable && node.status === 'running')];
  });
}
