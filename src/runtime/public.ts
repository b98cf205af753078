// The main-thread worker API of `threadvisor`, gathered for `src/index.ts`. Re-exports only.
export { startWorker } from './start-worker.js';
export type { StartWorkerOptions, WorkerRef } from './start-worker.js';
export { ThreadHost } from './thread-host.js';
export type { WorkerThread } from './worker-thread.js';
export { createActorRef } from './actor-ref.js';
export { workerUrl } from './worker-url.js';
export type { ActorTarget } from './actor-ref.js';
export type { ActorHandle, ChildHost, StartOutcome } from '../seams/child-host.js';
export {
  DEFAULT_CALL_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_SHUTDOWN_MS, DEFAULT_START_TIMEOUT_MS,
} from './settings.js';
export type { ActorRef } from '../protocol/actor-ref.js';
export type { ActorContext, ActorSelf } from '../protocol/actor-context.js';
export type {
  AnyWorker, CallArgs, CallName, CallResult, CastArgs, CastName, DefinitionOf, InitArgs, InitArgsOption,
  PartialInitArgs, WorkerDefinition, WorkerState, StopReason,
} from '../protocol/worker-definition.js';
