/**
 * The layering rules of docs/architecture.md, executed: every import specifier of every file under src/
 * is read and checked against the rule of the folder it sits in. A broken rule fails with the file, the
 * specifier and the rule, so a forbidden import never lands unnoticed again.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** The layer a file or a relative target belongs to: its first folder under src/, or the file itself. */
function layerOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? rel[0]!.replace(/\.(ts|js)$/, '') : rel[0]!;
}

/** Node's own modules that do I/O, keep time or run threads: what the pure core must never touch. */
const NODE_BUILTIN = /^node:|^(fs|path|url|os|worker_threads|child_process|http|net|timers|perf_hooks|events|process|util)(\/|$)/;

interface Rule {
  /** Layers (first folders under src/, or root files such as `errors`) this layer must not import. */
  forbidden: string[];
  /** Whether a Node built-in is forbidden (type-only imports of Node types are allowed in `seams`). */
  noNode?: 'all' | 'values';
  why: string;
}

const RULES: Record<string, Rule> = {
  core: {
    forbidden: ['supervisor', 'runtime', 'worker', 'testing', 'observability', 'pool', 'index'],
    noNode: 'all',
    why: 'the core is pure: no shell, no threads, no I/O, so the same core runs under real threads and a virtual clock',
  },
  worker: {
    forbidden: ['supervisor', 'runtime', 'core', 'testing', 'observability', 'seams', 'pool', 'index'],
    why: 'the worker side runs inside a thread and speaks only the protocol; it must not load the supervisor',
  },
  testing: {
    forbidden: ['runtime', 'worker', 'supervisor'],
    why: 'the test kit implements the seams; it must not import the worker_threads code',
  },
  protocol: {
    forbidden: ['core', 'supervisor', 'runtime', 'worker', 'testing', 'observability', 'seams', 'errors', 'pool', 'index'],
    noNode: 'values',
    why: 'the protocol is the ground floor: wire vocabulary that both sides of a thread share',
  },
  seams: {
    forbidden: ['core', 'supervisor', 'runtime', 'worker', 'testing', 'observability', 'errors', 'pool', 'index'],
    noNode: 'values',
    why: 'seams are interfaces only, above the protocol and below everything that implements or uses them',
  },
  errors: {
    forbidden: ['core', 'supervisor', 'runtime', 'worker', 'testing', 'observability', 'seams', 'pool', 'index'],
    noNode: 'values',
    why: 'errors cross every layer and the thread boundary; they build on the protocol alone',
  },
  options: {
    forbidden: ['core', 'supervisor', 'runtime', 'worker', 'testing', 'observability', 'seams', 'pool', 'index'],
    noNode: 'all',
    why: 'worker options (one schema, one defaults table, one renderer) are a ground floor that both the core and the runtime build on, so they stay pure',
  },
  runtime: {
    forbidden: ['core', 'supervisor', 'testing', 'worker', 'pool'],
    why: 'the thread host runs actors; supervision decisions live in the core, above it',
  },
  pool: {
    forbidden: ['supervisor', 'worker', 'testing', 'daemon', 'cli', 'health', 'metrics', 'index'],
    why: 'a pool is its threads and its per-job accounting; the tree drives it through its LiveChild adapter (supervisor/pool-child.ts), never the other way round, and its decisions of intensity and backoff are the core\'s pure functions',
  },
  health: {
    forbidden: ['core', 'runtime', 'worker', 'testing', 'metrics', 'index'],
    why: 'the health server reads a tree through tree() alone and serves any metrics registry; it decides nothing and runs no thread',
  },
  metrics: {
    forbidden: ['core', 'runtime', 'worker', 'testing', 'health', 'index'],
    why: 'the prom-client metrics are report consumers and a call observer, reading the tree through tree() alone',
  },
  daemon: {
    forbidden: ['cli', 'testing', 'worker', 'index'],
    why: 'the daemon runner sits on top of the supervisor layer, beside startSupervisor; it must not load the CLI, the test kit or the thread side',
  },
  cli: {
    forbidden: ['testing', 'worker', 'index'],
    why: 'the CLI is a leaf: it runs trees through the daemon runner and renders snapshots; the package entry must not be bundled into it twice',
  },
};
/**
 * The top floors, and the only layers that may import each: nothing below depends on how a process is
 * run or on the command line, so the library stays usable without either.
 */
const IMPORTED_ONLY_BY: Record<string, string[]> = {
  daemon: ['cli', 'index'],
  cli: [],
};
// prom-client is an optional peer dependency: only the threadvisor/metrics entry may load it eagerly, and
// the health server only on demand (await import), so the main entry loads without it.
const PROM_CLIENT = /^prom-client(\/|$)/;
const PROM_RULE = "prom-client is an optional peer: imported by src/metrics/ only, or with await import() by src/health/";
const METRICS_RULE = 'src/metrics/ is its own entry (threadvisor/metrics): nothing else imports it, so the main entry never loads prom-client';
// The worker side may share the one value renderer (it imports nothing), but no schema: zod would load in every thread.
const WORKER_OPTIONS = 'worker/ may import options/render.js only (the schemas would load zod into every thread)';
// testing must not reach worker_threads even through Node itself.
const TESTING_NODE = /^(node:)?worker_threads$/;

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Every import, re-export, dynamic import and require specifier of a TypeScript source. */
export function importsOf(code: string): Import[] {
  const found: Import[] = [];
  const stat = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(stat)) found.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    // `import('x').T` in a type position is type-only; `await import('x')` is a value.
    const after = code.slice(m.index! + m[0].length, m.index! + m[0].length + 1);
    found.push({ specifier: m[1]!, typeOnly: after === '.' });
  }
  for (const m of code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

/** The broken rules of one file, as readable lines. */
export function violations(file: string, code: string): string[] {
  const layer = layerOf(file);
  const rule = RULES[layer];
  const out: string[] = [];
  for (const { specifier, typeOnly } of importsOf(code)) {
    const where = `${relative(root, file)} imports '${specifier}'`;
    if (PROM_CLIENT.test(specifier) && !typeOnly && layer !== 'metrics' && !(layer === 'health' && dynamicImport(code, specifier))) out.push(`${where}: ${PROM_RULE}`);
    if (specifier.startsWith('.')) {
      const resolved = resolve(dirname(file), specifier);
      const target = layerOf(resolved);
      if (target === 'metrics' && layer !== 'metrics') out.push(`${where}: ${METRICS_RULE}`);
      if (target !== layer && rule?.forbidden.includes(target)) out.push(`${where}: ${layer}/ must not import ${target}/ (${rule.why})`);
      const importers = IMPORTED_ONLY_BY[target];
      if (target !== layer && importers !== undefined && !importers.includes(layer)) {
        out.push(`${where}: only ${importers.length === 0 ? 'nothing' : importers.map((l) => `${l}/`).join(' and ')} may import ${target}/ (${RULES[target]!.why})`);
      }
      if (layer === 'worker' && target === 'options' && relative(src, resolved) !== join('options', 'render.js')) out.push(`${where}: ${WORKER_OPTIONS}`);
      continue;
    }
    if (layer === 'testing' && TESTING_NODE.test(specifier)) out.push(`${where}: ${RULES.testing!.why}`);
    if (rule?.noNode !== undefined && NODE_BUILTIN.test(specifier) && (rule.noNode === 'all' || !typeOnly)) {
      out.push(`${where}: ${layer}/ must not use Node's I/O modules (${rule.why})`);
    }
  }
  return out;
}

/** Whether every value import of `specifier` in `code` is a dynamic `import()` (loaded on demand). */
function dynamicImport(code: string, specifier: string): boolean {
  const quoted = `['"]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`;
  const staticValue = new RegExp(`(?:^|\\n)\\s*(?:import|export)\\s+(?!type\\s)(?:[^'";]*?\\s+from\\s+)?${quoted}|\\brequire\\(\\s*${quoted}`);
  return !staticValue.test(code);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Cycles of value imports between files of src/, each as the files in the loop. Type-only imports are
 * left out: they vanish at compile time, while a value cycle makes load order matter and hides a
 * missing seam (as machine.ts <-> management.ts once did).
 */
export function valueCycles(files: readonly string[], read: (file: string) => string): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps = importsOf(read(file))
      .filter((i) => !i.typeOnly && i.specifier.startsWith('.'))
      .map((i) => resolve(dirname(file), i.specifier.replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push(path.slice(path.indexOf(dep)).map((f) => relative(src, f)));
      else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the layering rules', () => {
  const files = sources(src);

  it('reads every source file under src/', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.endsWith(join('core', 'machine.ts')))).toBe(true);
  });

  it('holds in every file under src/', () => {
    const broken = files.flatMap((file) => violations(file, readFileSync(file, 'utf8')));
    expect(broken).toEqual([]);
  });

  it('has no cycle of value imports between files', () => {
    expect(valueCycles(files, (file) => readFileSync(file, 'utf8'))).toEqual([]);
  });

  describe('the checker itself', () => {
    it('finds a value cycle, and ignores one closed by a type-only import', () => {
      const a = join(src, 'core', 'machine.ts');
      const b = join(src, 'core', 'management.ts');
      const code = (value: boolean) => (file: string) =>
        file === a ? "import { decideRequest } from './management.js';" : `import ${value ? '' : 'type '}{ Ctx } from './machine.js';`;
      expect(valueCycles([a, b], code(true))).toEqual([[join('core', 'machine.ts'), join('core', 'management.ts')]]);
      expect(valueCycles([a, b], code(false))).toEqual([]);
    });

    it('catches the core importing the shell, a thread module or Node I/O', () => {
      const file = join(src, 'core', 'machine.ts');
      expect(violations(file, "import { x } from '../supervisor/supervisor.js';")).toHaveLength(1);
      expect(violations(file, "import type { T } from '../runtime/thread-host.js';")).toHaveLength(1);
      expect(violations(file, "import { readFileSync } from 'node:fs';")).toHaveLength(1);
      expect(violations(file, "import { ExitReason } from '../protocol/exit-reason.js';")).toEqual([]);
    });

    it('catches the worker side importing the core, and the test kit importing worker_threads', () => {
      expect(violations(join(src, 'worker', 'thread-runtime.ts'), "import type { ExitReason } from '../core/exit-reason.js';")).toHaveLength(1);
      expect(violations(join(src, 'testing', 'simulated-host.ts'), "export type { ChildHost } from '../runtime/child-host.js';")).toHaveLength(1);
      expect(violations(join(src, 'testing', 'simulated-host.ts'), "import { Worker } from 'node:worker_threads';")).toHaveLength(1);
    });

    it('catches the options floor importing the core, the runtime or Node, and lets the core and the runtime import it', () => {
      const file = join(src, 'options', 'worker-options.ts');
      expect(violations(file, "import { backoffSchema } from '../core/backoff.js';")).toHaveLength(1);
      expect(violations(file, "import { moduleUrl } from '../runtime/settings.js';")).toHaveLength(1);
      expect(violations(file, "import type { ResourceLimits } from 'node:worker_threads';")).toHaveLength(1);
      expect(violations(file, "import { InvalidSpecError } from '../errors.js';")).toEqual([]);
      expect(violations(join(src, 'runtime', 'settings.ts'), "import { workerOptionsSchema } from '../options/worker-options.js';")).toEqual([]);
      expect(violations(join(src, 'core', 'child-spec.ts'), "import { render } from '../options/render.js';")).toEqual([]);
    });

    it('keeps prom-client and the metrics entry out of everything but src/metrics/ (the health server may load it on demand)', () => {
      expect(violations(join(src, 'observability', 'crash-reporter.ts'), "import { Counter } from 'prom-client';")).toHaveLength(1);
      expect(violations(join(src, 'index.ts'), "export { prometheusReporter } from './metrics/prometheus-reporter.js';")).toHaveLength(1);
      expect(violations(join(src, 'health', 'health-server.ts'), "import { register } from 'prom-client';")).toHaveLength(1);
      expect(violations(join(src, 'health', 'health-server.ts'), "const prom = await import('prom-client');")).toEqual([]);
      expect(violations(join(src, 'metrics', 'prometheus-reporter.ts'), "import { Counter, Registry } from 'prom-client';")).toEqual([]);
      expect(violations(join(src, 'observability', 'x.ts'), "import type { Registry } from 'prom-client';")).toEqual([]);
    });

    it('lets the worker side share the value renderer but no schema', () => {
      const file = join(src, 'worker', 'define-worker.ts');
      expect(violations(file, "import { render } from '../options/render.js';")).toEqual([]);
      expect(violations(file, "import { workerOptionsSchema } from '../options/worker-options.js';")).toHaveLength(1);
    });

    it('lets only the package entry and the CLI import the daemon runner, and nothing import the CLI', () => {
      const daemon = "import { run } from '../daemon/run.js';";
      expect(violations(join(src, 'cli', 'main.ts'), daemon)).toEqual([]);
      expect(violations(join(src, 'index.ts'), "export { run } from './daemon/run.js';")).toEqual([]);
      expect(violations(join(src, 'supervisor', 'supervisor.ts'), daemon)).toHaveLength(1);
      expect(violations(join(src, 'observability', 'logger.ts'), daemon)).toHaveLength(1);
      expect(violations(join(src, 'daemon', 'run.ts'), "import { main } from '../cli/main.js';")).toHaveLength(2);
      expect(violations(join(src, 'index.ts'), "export { main } from './cli/main.js';")).toHaveLength(1);
      expect(violations(join(src, 'daemon', 'run.ts'), "import { startSupervisor } from '../supervisor/start-supervisor.js';")).toEqual([]);
    });

    it('catches the protocol importing above itself, and allows type-only Node types in seams', () => {
      expect(violations(join(src, 'protocol', 'messages.ts'), "import { InvalidSpecError } from '../errors.js';")).toHaveLength(1);
      expect(violations(join(src, 'seams', 'child-host.ts'), "type R = import('node:worker_threads').ResourceLimits;")).toEqual([]);
      expect(violations(join(src, 'seams', 'child-host.ts'), "const m = await import('node:worker_threads');")).toHaveLength(1);
    });
  });
});
