// Public entry point of `threadvisor/testing`: the deterministic test kit. Re-exports only. Nothing here
// loads fast-check: the arbitraries are a separate entry point, `threadvisor/testing/arbitraries`.
export { simulate } from './simulator.js';
export type { SimulationResult, SimulatedTree, SimulatedTreeChild } from './simulator.js';
export type { ChildPath, Fault, SimulatedCrashReason, SimulationOptions, TraceEvent } from './types.js';
export { toTraceEvent } from './trace.js';
export { seededRandom } from './random.js';
export { VirtualClock, settle } from './virtual-clock.js';
export { SimulatedHost, SimulatedActor, SIMULATED_IGNORE } from './simulated-host.js';
export type { SimulatedBehaviour } from './simulated-host.js';
export { workerPaths } from './paths.js';
export { formatScenario, formatTraceEvent, formatTraceDiff } from './format.js';
export type { Scenario } from './format.js';
