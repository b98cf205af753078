// Public entry point of `threadvisor` (main thread). Re-exports only.
export * from './errors.js';
export * from './core/exit-reason.js';
export type { SerializedError } from './protocol/serialized-error.js';
export type { Shutdown, WorkerStartOptions, CallOptions } from './runtime/child-host.js';
export * from './runtime/public.js';
export { startSupervisor, Supervisor } from './supervisor/start-supervisor.js';
export type { StartOptions } from './supervisor/start-supervisor.js';
export { startDynamicSupervisor, DynamicSupervisor } from './supervisor/dynamic-supervisor.js';
export { worker, supervisor } from './supervisor/spec-builders.js';
export type { ChildInfo, ChildCounts, TreeNode, SupervisorTree } from './supervisor/introspection.js';
export type { ChildSpec, WorkerChildSpec, SupervisorChildSpec, CommonChildSpec } from './core/child-spec.js';
export type { SupervisorSpec, SupervisorFlags, DynamicSupervisorSpec, Strategy, AutoShutdown } from './core/supervisor-flags.js';
export type { BackoffOptions } from './core/backoff.js';
export type { RestartType } from './core/restart-decision.js';
export type { ChildStatus } from './core/children.js';
export type { SupervisorEvents, SupervisorEventName } from './observability/events.js';
export type { SupervisionMetrics } from './observability/metrics.js';
export type { Clock } from './runtime/clock.js';
