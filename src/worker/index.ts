// Public entry point of `threadvisor/worker` (inside a worker thread). Re-exports only.
export { defineWorker } from './define-worker.js';
export { ignore, stop } from './sentinels.js';
export type {
  WorkerDefinition, WorkerSpec, CallHandler, CastHandler, Handlers, Ignore, StopSignal, StopReason,
} from '../protocol/worker-definition.js';
export type { ActorContext, ActorSelf } from '../protocol/actor-context.js';
export type { ExitReason } from '../protocol/exit-reason.js';
export type { SerializedError } from '../protocol/serialized-error.js';
export { defineJobHandler } from './define-job-handler.js';
export type {
  JobContext, JobInfo, JobHandler, JobHandlers, JobHandlerSpec, JobHandlerDefinition,
} from '../protocol/job-definition.js';
