import type { WorkerDefinition } from '../protocol/worker-definition.js';

/**
 * Picks the worker definition among a module's exports: the default export, else the only exported
 * definition. Returns a message saying what is wrong when there is none or more than one.
 */
export function pickDefinition(namespace: Record<string, unknown>, module: string): WorkerDefinition | string {
  const fallback = namespace.default;
  if (isDefinition(fallback)) return fallback;
  // A CJS module compiled from `export default` puts the definition on `module.exports.default`.
  const nested = typeof fallback === 'object' && fallback !== null ? (fallback as { default?: unknown }).default : undefined;
  if (isDefinition(nested)) return nested;
  const named = Object.entries(namespace).filter(([, value]) => isDefinition(value));
  if (named.length === 1) return (named[0] as [string, WorkerDefinition])[1];
  if (named.length > 1) {
    return `${module} exports several worker definitions (${named.map(([k]) => k).join(', ')}); export the one to run as default`;
  }
  return `${module} calls defineWorker() but does not export the definition; write: export default defineWorker({ ... })`;
}

/** `true` for a value returned by `defineWorker` (from any copy of the package). */
export function isDefinition(value: unknown): value is WorkerDefinition {
  return typeof value === 'object' && value !== null && (value as { $threadvisor?: unknown }).$threadvisor === 'worker';
}
