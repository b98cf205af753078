/**
 * Readable counterexamples: a failing property prints its scenario as TypeScript a person can paste into
 * a regression test, and a trace mismatch as the first differing event with some context.
 */
import type { ChildSpec } from '../core/child-spec.js';
import type { SupervisorSpec } from '../core/supervisor-flags.js';
import type { Fault, TraceEvent } from './types.js';

/** A supervision tree, a fault schedule and the seed of the random source: one reproducible run. */
export interface Scenario {
  /** The tree, exactly as a user would hand it to `startSupervisor`. */
  spec: SupervisorSpec;
  /** Faults at virtual times, sorted by `at`. */
  faults: Fault[];
  /** Seeds backoff jitter. */
  seed: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a plain value as a TypeScript literal (single-quoted strings, unquoted identifier keys). */
function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (value instanceof URL) return `new URL(${literal(value.href, indent)})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => literal(v, indent)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : literal(k, indent)}: ${literal(v, indent)}`).join(', ')} }`;
  }
  return String(value);
}

/** The flags and fields of a spec object except its children, as `key: value` pairs. */
function fields(obj: object, skip: readonly string[]): string[] {
  return Object.entries(obj)
    .filter(([k, v]) => !skip.includes(k) && v !== undefined)
    .map(([k, v]) => `${IDENTIFIER.test(k) ? k : literal(k, '')}: ${literal(v, '')}`);
}

function renderChildren(children: readonly ChildSpec[], indent: string): string {
  if (children.length === 0) return 'children: []';
  const inner = `${indent}  `;
  return `children: [\n${children.map((c) => `${inner}${renderChild(c, inner)},\n`).join('')}${indent}]`;
}

function renderChild(child: ChildSpec, indent: string): string {
  if (child.type === 'worker') return `worker({ ${fields(child, ['type']).join(', ')} })`;
  if (child.type === 'dynamic_supervisor') return `dynamicSupervisor({ ${fields(child, ['type']).join(', ')} })`;
  if (child.type === 'pool') return `pool({ ${fields(child, ['type']).join(', ')} })`;
  const head = fields(child, ['type', 'children']);
  return `supervisor({ ${[...head, renderChildren(child.children, indent)].join(', ')} })`;
}

/**
 * Renders a scenario as pasteable TypeScript: the tree built with `worker()`/`supervisor()`, the fault
 * list and the seed.
 *
 * @example
 * formatScenario({ spec: { children: [worker({ id: 'a', module: 'sim:a' })] }, faults: [], seed: 1 });
 * // import { supervisor, worker, type SupervisorSpec } from 'threadvisor';
 * // import type { Fault } from 'threadvisor/testing';
 * //
 * // const spec: SupervisorSpec = {
 * //   children: [
 * //     worker({ id: 'a', module: 'sim:a' }),
 * //   ],
 * // };
 * // const faults: Fault[] = [];
 * // const seed = 1;
 */
export function formatScenario(scenario: Scenario): string {
  const { spec, faults, seed } = scenario;
  const head = fields(spec, ['children']).map((f) => `  ${f},\n`).join('');
  const faultLines = faults.length === 0 ? '[]' : `[\n${faults.map((f) => `  ${literal(f, '  ')},\n`).join('')}]`;
  return [
    `import { ${hasDynamic(spec.children) ? 'dynamicSupervisor, ' : ''}supervisor, worker, type SupervisorSpec } from 'threadvisor';`,
    "import type { Fault } from 'threadvisor/testing';",
    '',
    `const spec: SupervisorSpec = {\n${head}  ${renderChildren(spec.children, '  ')},\n};`,
    `const faults: Fault[] = ${faultLines};`,
    `const seed = ${seed};`,
  ].join('\n');
}

function hasDynamic(children: readonly ChildSpec[]): boolean {
  return children.some((c) => c.type === 'dynamic_supervisor' || (c.type === 'supervisor' && hasDynamic(c.children)));
}

/**
 * Renders one trace event on one line: `<t> <supervisor> <type> <details>`, the root supervisor as `/`
 * and a nested one by its path (`/jobs`, `/jobs/inner`).
 *
 * @example
 * formatTraceEvent({ t: 10, sup: '', type: 'exited', child: 'db', reason: 'error' }); // '10 / exited db error'
 */
export function formatTraceEvent(event: TraceEvent): string {
  const head = `${event.t} /${event.sup} ${event.type}`;
  switch (event.type) {
    case 'start':
    case 'started':
    case 'start_failed':
    case 'stop':
      return `${head} ${event.child}`;
    case 'exited':
      return `${head} ${event.child} ${event.reason}`;
    case 'restart_scheduled':
      return `${head} [${event.children.join(',')}] after ${event.delayMs}`;
    case 'intensity_exceeded':
      return head;
    case 'supervisor_exited':
      return `${head} ${event.reason}`;
  }
}

/** Whether two trace events are the same, field by field (the order of `children` included). */
function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return formatTraceEvent(a) === formatTraceEvent(b);
}

/**
 * Shows where two traces part: the events before the first difference (`context` of them), then the
 * expected and actual events from there on (`context` + 1 of each). Returns a one-line note when they are equal.
 *
 * @example
 * formatTraceDiff(modelTrace, engineTrace);
 * // traces differ at event 4 (expected 9 events, actual 8):
 * //     [1] 0 / started a
 * //     ...
 * //   - [4] 10 / restart_scheduled [a] after 100
 * //   + [4] 10 / restart_scheduled [a] after 200
 */
export function formatTraceDiff(expected: readonly TraceEvent[], actual: readonly TraceEvent[], context = 3): string {
  const length = Math.min(expected.length, actual.length);
  let index = 0;
  while (index < length && sameEvent(expected[index]!, actual[index]!)) index++;
  if (index === expected.length && index === actual.length) return `traces are equal (${expected.length} events)`;

  const line = (prefix: string, i: number, e: TraceEvent | undefined): string =>
    `${prefix}[${i}] ${e === undefined ? '(end of trace)' : formatTraceEvent(e)}`;
  const out = [`traces differ at event ${index} (expected ${expected.length} events, actual ${actual.length}):`];
  for (let i = Math.max(0, index - context); i < index; i++) out.push(line('    ', i, expected[i]));
  const tail = (prefix: string, trace: readonly TraceEvent[]): void => {
    const end = Math.min(trace.length, index + context + 1);
    if (index >= trace.length) out.push(line(prefix, index, undefined));
    for (let i = index; i < end; i++) out.push(line(prefix, i, trace[i]));
  };
  tail('  - ', expected);
  tail('  + ', actual);
  return out.join('\n');
}
