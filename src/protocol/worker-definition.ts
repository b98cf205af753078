/**
 * The types of a worker definition and of what the main thread derives from it. Types only: the main
 * thread never loads a worker module at runtime, it reads `typeof MyWorker` to type its references.
 *
 * The brands are string-keyed on purpose: `threadvisor` and `threadvisor/worker` ship separate
 * declaration files, and a `unique symbol` declared in both would make their types incompatible.
 */
import type { ActorContext, InfoMessage } from './actor-context.js';
import type { ExitReason } from './exit-reason.js';

/** What `ignore()` returns: `init` declines to start (OTP's `ignore`). */
export interface Ignore {
  readonly $threadvisor: 'ignore';
}

/** How a worker may end itself: OTP's `normal`, `shutdown` or `{shutdown, detail}`. */
export type StopReason = 'normal' | 'shutdown' | { shutdown: unknown };

/** What `stop(reason, reply)` returns: the handler's reply (for a call), then the actor stops. */
export interface StopSignal<R = undefined> {
  readonly $threadvisor: 'stop';
  readonly reason: ExitReason;
  readonly reply: R;
}

/** A request/reply handler: the state, then the call's arguments; its (awaited) return value is the reply. */
// `any[]` rather than `unknown[]`: handlers declare their own parameter types, which must stay assignable.
export type CallHandler<S> = (state: S, ...args: any[]) => unknown;

/** A fire-and-forget handler: the state, then the cast's arguments; its return value is ignored (except `stop()`). */
export type CastHandler<S> = (state: S, ...args: any[]) => unknown;

/** The `calls` (or `casts`) table of a worker: method name to handler. */
export type Handlers<S> = Record<string, CallHandler<S>>;

/** What `defineWorker` accepts. */
export interface WorkerSpec<S, A, C extends Handlers<S>, K extends Handlers<S>> {
  /**
   * Builds the initial state from the start arguments (sync or async). Throwing or rejecting fails the
   * start with `StartError`; returning `ignore()` declines to start. `ctx` is the actor's
   * {@link ActorContext}, the same object for its whole life: keep it in the state if handlers need it.
   * @default () => undefined
   */
  init?: (args: A, ctx: ActorContext) => S | Ignore | PromiseLike<S | Ignore>;
  /**
   * Request/reply handlers, run one message at a time. `& Handlers<S>` types each handler's state
   * directly: through `C`'s constraint alone it would be typed before `S` is inferred from an `init` that
   * leaves `ctx` unannotated (a context-sensitive function, which TypeScript infers from last).
   */
  calls?: C & Handlers<S>;
  /** Fire-and-forget handlers, run one message at a time in the same mailbox as calls. */
  casts?: K & Handlers<S>;
  /**
   * Runs on an orderly stop (asked by the host, or `stop()` from a handler), not after a crash. `ctx` is
   * the same {@link ActorContext} `init` got.
   */
  terminate?: (state: S, reason: ExitReason, ctx: ActorContext) => unknown;
  /**
   * Gets the messages that are neither calls nor casts (gen_server's `handle_info`): today the
   * {@link InfoMessage | down notices} of the actor's monitors. Runs in the same mailbox, one message at a
   * time; may return `stop(...)`. A message arriving at a worker without `info` is logged and dropped.
   */
  info?: (state: S, message: InfoMessage) => unknown;
}

/** Maps a handler table typed as the wide `Handlers<S>` (no names known) to "no methods". */
export type KnownHandlers<T> = string extends keyof T ? {} : T;

/** A worker definition: what `defineWorker` returns and the worker module exports (its default export). */
export interface WorkerDefinition<S = any, A = any, C = {}, K = {}> {
  readonly $threadvisor: 'worker';
  readonly init: (args: A, ctx: ActorContext) => S | Ignore | PromiseLike<S | Ignore>;
  readonly calls: C;
  readonly casts: K;
  readonly terminate: ((state: S, reason: ExitReason, ctx: ActorContext) => unknown) | undefined;
  /** The `info` handler, if the worker has one. */
  readonly info?: ((state: S, message: InfoMessage) => unknown) | undefined;
}

/** A worker definition whose methods are unknown to the type system: any name, any arguments. */
export type AnyWorker = WorkerDefinition<any, any, Record<string, CallHandler<any>>, Record<string, CastHandler<any>>>;

/**
 * What the type helpers match a definition on: its brand, its tables and an `init` whose context they do
 * not look at. The context's types (typed refs) come from whichever declaration file typed the worker
 * (`threadvisor/worker`'s, `threadvisor`'s, the sources'), and the same type in two files does not match
 * itself structurally when it holds conditional types; the handler tables and `init`'s argument do.
 */
interface DefinitionShape {
  readonly $threadvisor: 'worker';
  readonly calls: unknown;
  readonly casts: unknown;
  readonly init: (args: any, ctx: any) => unknown;
}

/** The definition behind `W`: a definition itself, or a module namespace whose default export is one. */
export type DefinitionOf<W> = W extends DefinitionShape
  ? W
  : W extends { default: infer D extends DefinitionShape }
    ? D
    : never;

/** The state type of a worker: what its `init` returns (awaited), but `ignore()`. */
export type WorkerState<W> = DefinitionOf<W> extends { readonly init: (args: any, ctx: any) => infer R } ? Exclude<Awaited<R>, Ignore> : never;

/** The type of `init`'s argument of a worker (`undefined` when `init` takes none). */
export type InitArgs<W> = DefinitionOf<W> extends { readonly init: (args: infer A, ctx: any) => unknown } ? A : never;

/**
 * The `args` option of whatever starts worker `W` (`startWorker`, `worker()`): required when `init`
 * requires an argument, optional when it may be `undefined`, absent or `undefined` when `init` takes none.
 * For an untyped worker (`W` left at `AnyWorker`, or an `init` taking `any`) it is `args?: unknown`, as
 * before types reached it.
 */
export type InitArgsOption<W> = IsAny<InitArgs<W>> extends true
  ? { args?: unknown }
  : undefined extends InitArgs<W>
    ? { args?: InitArgs<W> }
    : { args: InitArgs<W> };

/**
 * A part of worker `W`'s init args: what a dynamic supervisor's `template.args` and its
 * `startChild(extraArgs)` take. The two are merged when both are plain objects, so for an object type
 * each is a `Partial` of it; any other type (a number, an array) is taken whole, since it replaces the
 * template's. The types check each part, not that the merge is complete: a field that neither gives
 * reaches `init` as `undefined`. `unknown` for an untyped worker.
 */
export type PartialInitArgs<W> = IsAny<InitArgs<W>> extends true ? unknown : ArgsPart<InitArgs<W>>;

// Distributes over a union, so `{ id: string } | undefined` (an optional argument) becomes
// `Partial<{ id: string }> | undefined`. Arrays and functions are objects that are never merged.
type ArgsPart<A> = A extends readonly unknown[] | ((...args: never[]) => unknown) ? A : A extends object ? Partial<A> : A;

export type IsAny<T> = 0 extends 1 & T ? true : false;

type CallsOf<W> = DefinitionOf<W> extends { readonly calls: infer C } ? C : never;
type CastsOf<W> = DefinitionOf<W> extends { readonly casts: infer K } ? K : never;
type ArgsAfterState<F> = F extends (state: any, ...args: infer P) => any ? P : never;
type UnwrapStop<T> = T extends StopSignal<infer R> ? R : T;

/** The names of a worker's calls. */
export type CallName<W> = keyof CallsOf<W> & string;

/** The arguments of call `M` (after the state). */
export type CallArgs<W, M extends CallName<W>> = ArgsAfterState<CallsOf<W>[M]>;

/** What call `M` resolves to: its handler's awaited return value (a `stop(reason, reply)` resolves to `reply`). */
export type CallResult<W, M extends CallName<W>> = CallsOf<W>[M] extends (...args: any[]) => infer R
  ? UnwrapStop<Awaited<R>>
  : never;

/** The names of a worker's casts. */
export type CastName<W> = keyof CastsOf<W> & string;

/** The arguments of cast `M` (after the state). */
export type CastArgs<W, M extends CastName<W>> = ArgsAfterState<CastsOf<W>[M]>;
