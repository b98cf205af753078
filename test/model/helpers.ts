// Small builders shared by the model's tests: specs read like the user-facing API.
import type { ChildSpec, SupervisorChildSpec, WorkerChildSpec } from '../../src/core/child-spec.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { Fault } from '../../src/testing/types.js';
import { formatTraceEvent } from '../../src/testing/format.js';
import { runModel, type ModelOptions, type ModelResult } from './reference-model.js';

/** A simulated worker child (`module: 'sim:<id>'`). */
export function w(id: string, extra: Partial<Omit<WorkerChildSpec, 'type' | 'id'>> = {}): WorkerChildSpec {
  return { type: 'worker', id, module: `sim:${id}`, ...extra };
}

/** A nested supervisor child. */
export function s(id: string, extra: Partial<Omit<SupervisorChildSpec, 'type' | 'id' | 'children'>>, children: ChildSpec[]): SupervisorChildSpec {
  return { type: 'supervisor', id, ...extra, children };
}

/** Runs the model and returns the result with its trace as `formatTraceEvent` lines. */
export function run(spec: SupervisorSpec, faults: Fault[] = [], options: ModelOptions = {}): ModelResult & { lines: string[] } {
  const result = runModel(spec, faults, options);
  return { ...result, lines: result.trace.map(formatTraceEvent) };
}

/** The lines of a root supervisor starting `ids` (workers, no delays). */
export function rootStarts(...ids: string[]): string[] {
  return ids.flatMap((id) => [`0 / start ${id}`, `0 / started ${id}`]);
}

/** The lines of the root stopping `ids` (given in the order they are stopped) at `t`, then exiting `shutdown`. */
export function rootStops(t: number, ...ids: string[]): string[] {
  return [...ids.flatMap((id) => [`${t} / stop ${id}`, `${t} / exited ${id} shutdown`]), `${t} / supervisor_exited shutdown`];
}
