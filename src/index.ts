// Public entry point of `threadvisor` (main thread). Re-exports only.
export * from './errors.js';
export * from './core/exit-reason.js';
export type { SerializedError } from './protocol/serialized-error.js';
export type { Shutdown, WorkerStartOptions, CallOptions } from './runtime/child-host.js';
