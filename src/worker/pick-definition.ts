import type { WorkerDefinition } from '../protocol/worker-definition.js';

/** The kinds of definition a thread can run: a worker actor, or a pool's job handlers. */
const KINDS = {
  worker: { what: 'worker definitions', define: 'defineWorker' },
  jobs: { what: 'job handler definitions', define: 'defineJobHandler' },
} as const;

/**
 * Picks the definition of `kind` among a module's exports: the default export, else the only exported
 * definition. Returns a message saying what is wrong when there is none or more than one.
 */
export function pickDefinition(namespace: Record<string, unknown>, module: string): WorkerDefinition | string;
export function pickDefinition(namespace: Record<string, unknown>, module: string, kind: keyof typeof KINDS): object | string;
export function pickDefinition(namespace: Record<string, unknown>, module: string, kind: keyof typeof KINDS = 'worker'): object | string {
  const is = (value: unknown): boolean => isDefinition(value, kind);
  const fallback = namespace.default;
  if (is(fallback)) return fallback as object;
  // A CJS module compiled from `export default` puts the definition on `module.exports.default`.
  const nested = typeof fallback === 'object' && fallback !== null ? (fallback as { default?: unknown }).default : undefined;
  if (is(nested)) return nested as object;
  const named = Object.entries(namespace).filter(([, value]) => is(value));
  if (named.length === 1) return (named[0] as [string, object])[1];
  const { what, define } = KINDS[kind];
  if (named.length > 1) {
    return `${module} exports several ${what} (${named.map(([k]) => k).join(', ')}); export the one to run as default`;
  }
  return `${module} calls ${define}() but does not export the definition; write: export default ${define}({ ... })`;
}

/** `true` for a value returned by `defineWorker` (or `defineJobHandler` for `kind` 'jobs'), from any copy of the package. */
export function isDefinition(value: unknown, kind: keyof typeof KINDS = 'worker'): value is WorkerDefinition {
  return typeof value === 'object' && value !== null && (value as { $threadvisor?: unknown }).$threadvisor === kind;
}
