/**
 * The types of a job handler module (`defineJobHandler`) and of what the main thread derives from it to
 * type `pool.run(...)`. Types only: the main thread reads `typeof Jobs`, never loads the module.
 */
import type { ActorContext } from './actor-context.js';
import type { IsAny } from './worker-definition.js';

/** Which job a handler is running: what `ctx.job` holds. */
export interface JobInfo {
  /** The job's id in its pool (unique for the pool's life). */
  readonly id: number;
  /** 1 for the first delivery, 2 for the first redelivery after a thread died running it, ... */
  readonly delivery: number;
  /** The handler's name. */
  readonly handler: string;
}

/**
 * What a pool thread's `init` gets: the thread's identity ({@link ActorContext}'s `self`). No `ref` or
 * `monitor`: a pool's threads are interchangeable job runners, not actors of the tree, so the registry
 * neither names them nor connects them (docs/messaging.md, "Limits").
 */
export type PoolThreadContext = Pick<ActorContext, 'self'>;

/**
 * What a job handler gets first: the thread's {@link PoolThreadContext} plus the job's own abort signal
 * and identity. One object per job; it is not valid after the job ended.
 */
export interface JobContext extends PoolThreadContext {
  /**
   * Aborted when the caller's `signal` aborts or the job's `timeoutMs` passes. A handler that keeps
   * running past the pool's `abortGraceMs` after that has its thread terminated and replaced.
   */
  readonly signal: AbortSignal;
  /** Which job this is. */
  readonly job: JobInfo;
}

/** One job handler: the job's context, then the job's arguments; its (awaited) return value is the result. */
// `any[]` rather than `unknown[]`: handlers declare their own parameter types, which must stay assignable.
export type JobHandler = (ctx: JobContext, ...args: any[]) => unknown;

/** The `handlers` table of a job handler module: name to handler. */
export type JobHandlers = Record<string, JobHandler>;

/** What `defineJobHandler` accepts. */
export interface JobHandlerSpec<H extends JobHandlers, A = undefined> {
  /** The jobs this module runs, by name. Keep no state between jobs (docs/pools.md, "the stateless-handler contract"). */
  handlers: H;
  /**
   * Runs once per thread before it takes jobs (open a connection, warm a cache). Throwing or rejecting
   * fails that thread's start. `args` is the pool's `args` option.
   */
  init?: (args: A, ctx: PoolThreadContext) => void | PromiseLike<void>;
}

/** What `defineJobHandler` returns and a job handler module exports (its default export). */
export interface JobHandlerDefinition<H = {}, A = any> {
  readonly $threadvisor: 'jobs';
  readonly handlers: H;
  readonly init: ((args: A, ctx: PoolThreadContext) => void | PromiseLike<void>) | undefined;
}

/** A job handler module whose handlers are unknown to the type system: any name, any arguments. */
export type AnyJobs = JobHandlerDefinition<Record<string, JobHandler>, any>;

/** The definition behind `J`: a definition itself, or a module namespace whose default export is one. */
export type JobDefinitionOf<J> = J extends JobHandlerDefinition
  ? J
  : J extends { default: infer D extends JobHandlerDefinition }
    ? D
    : never;

type HandlersOf<J> = JobDefinitionOf<J> extends JobHandlerDefinition<infer H, any> ? H : never;

/** The names of a job handler module's handlers. */
export type JobName<J> = keyof HandlersOf<J> & string;

/** The arguments of handler `N` (after `ctx`). */
export type JobArgs<J, N extends JobName<J>> = HandlersOf<J>[N] extends (ctx: any, ...args: infer P) => any ? P : never;

/** What a job of handler `N` resolves to: the handler's awaited return value. */
export type JobResult<J, N extends JobName<J>> = HandlersOf<J>[N] extends (...args: any[]) => infer R ? Awaited<R> : never;

/** The `args` of the `init` of job handler module `J` (what the pool's `args` option must be). */
export type JobInitArgs<J> = JobDefinitionOf<J> extends JobHandlerDefinition<any, infer A> ? A : never;

/**
 * The `args` option of a pool of module `J` (`startPool<J>`, `pool<J>()`): required when its `init`
 * requires an argument, optional when it may be `undefined`, `args?: unknown` for an untyped module
 * (as {@link InitArgsOption} for workers).
 */
export type JobInitArgsOption<J> = IsAny<JobInitArgs<J>> extends true
  ? { args?: unknown }
  : undefined extends JobInitArgs<J>
    ? { args?: JobInitArgs<J> }
    : { args: JobInitArgs<J> };
