// Public entry point of `threadvisor` (main thread). Re-exports only.
export * from './errors.js';
export * from './protocol/exit-reason.js';
export type { SerializedError } from './protocol/serialized-error.js';
export type { Shutdown, WorkerStartOptions, CallOptions } from './seams/child-host.js';
export * from './runtime/public.js';
export { startSupervisor, Supervisor } from './supervisor/start-supervisor.js';
export type { StartOptions } from './supervisor/tree-context.js';
export { startDynamicSupervisor, DynamicSupervisor } from './supervisor/dynamic-supervisor.js';
export { NestedSupervisor, NestedDynamicSupervisor } from './supervisor/nested-handles.js';
export { worker, supervisor, dynamicSupervisor } from './supervisor/spec-builders.js';
export { run, type RunOptions, type FatalOrigin } from './daemon/run.js';
export { EXIT_CODES, exitCodeFor, type DaemonEnd, type DaemonSignal } from './daemon/exit-codes.js';
export type { DeliveredReport, ReportConsumer } from './observability/delivered-report.js';
export type { CallObservation, CallObserver } from './observability/call-observer.js';
export { crashReporter } from './observability/crash-reporter.js';
export type { CrashReport, CrashReporter, CrashReporterOptions } from './observability/crash-reporter.js';
export { crashOf } from './observability/crash.js';
export type { Crash, CrashKind } from './observability/crash.js';
export { crashFingerprint, fingerprintFrame } from './observability/crash-fingerprint.js';
export type { FingerprintInput, FingerprintOptions } from './observability/crash-fingerprint.js';
export type { Report } from './core/events.js';
export type { ChildInfo, ChildCounts, TreeNode, SupervisorTree } from './supervisor/introspection.js';
export { startHealthServer } from './health/health-server.js';
export type { HealthServer, HealthServerOptions, HealthTarget, MetricsRegistry } from './health/health-server.js';
export { readiness } from './health/readiness.js';
export type { Readiness, NotReadyChild } from './health/readiness.js';
export type {
  ChildSpec, WorkerChildSpec, SupervisorChildSpec, DynamicSupervisorChildSpec, CommonChildSpec, TypedWorkerChildSpec, WorkerTemplate,
} from './core/child-spec.js';
export type { SupervisorSpec, SupervisorFlags, DynamicSupervisorSpec, Strategy, AutoShutdown } from './core/supervisor-flags.js';
export type { BackoffOptions } from './core/backoff.js';
export type { RestartType } from './core/restart-decision.js';
export type { ChildStatus } from './core/children.js';
export type { SupervisorEvents, SupervisorEventName } from './observability/events.js';
export type { SupervisionMetrics } from './observability/metrics.js';
export type { Clock } from './seams/clock.js';
export type { TreeHandle } from './supervisor/tree-handle.js';
export { startPool } from './pool/start-pool.js';
export type {
  Pool, PoolRef, PoolOptions, StartPoolOptions, JobRunOptions, JobRunArgs, PoolStats, PoolThreadInfo, PoolEvents, PoolEventName,
  DeadLetterBox, DeadLetterSink, JobEventRef,
} from './pool/types.js';
export type { DeadLetter, JobAttempt } from './protocol/dead-letter.js';
export type {
  AnyJobs, JobArgs, JobName, JobResult, JobInitArgs, JobInitArgsOption, JobDefinitionOf, JobHandlerDefinition, JobContext, PoolThreadContext, JobInfo,
} from './protocol/job-definition.js';
export { pool } from './supervisor/spec-builders.js';
export type { PoolChildSpec } from './core/child-spec.js';
export type { PoolNode } from './supervisor/introspection.js';
export type { DownNotice, DownReason, InfoMessage, MonitorRef, PeerRef } from './protocol/actor-context.js';
export type { TreeMonitor } from './supervisor/registry.js';
export type { PeerDirectory, Resolution, Down } from './seams/peers.js';
