// Type tests of defineWorker's inference and of the helpers derived from a definition.
import type {
  CallArgs, CallName, CallResult, CastArgs, CastName, InitArgs, WorkerState,
} from '../../src/index.js';
import { defineWorker } from '../../src/worker/index.js';
import type { ActorContext, ActorSelf } from '../../src/worker/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';
import type { Counter, NoArgs, Optional, Stateless } from './fixtures.js';

type C = typeof Counter;

// The state comes from init's return value, and handlers see it.
expectType<Equal<WorkerState<C>, { n: number }>>(true);
// An async init that may ignore(): the state excludes the ignore sentinel and the promise.
expectType<Equal<WorkerState<typeof Optional>, { hits: number }>>(true);
// No init: the state is undefined; an init without a parameter takes no args.
expectType<Equal<WorkerState<typeof Stateless>, undefined>>(true);
expectType<Equal<InitArgs<typeof NoArgs>, undefined>>(true);
expectType<Equal<InitArgs<C>, { start: number }>>(true);

// Method names, arguments (the state is not one of them) and results.
expectType<Equal<CallName<C>, 'add' | 'get' | 'label' | 'quit' | 'maybeQuit'>>(true);
expectType<Equal<CastName<C>, 'reset' | 'set'>>(true);
expectType<Equal<CallArgs<C, 'add'>, [k: number]>>(true);
expectType<Equal<CallArgs<C, 'label'>, [prefix: string, pad?: number]>>(true);
expectType<Equal<CastArgs<C, 'set'>, [n: number]>>(true);
expectType<Equal<CallResult<C, 'add'>, number>>(true);
// Async handlers resolve to the awaited value.
expectType<Equal<CallResult<C, 'label'>, string>>(true);
// A stop(reason, reply) resolves to its reply; a handler that may stop resolves to either.
expectType<Equal<CallResult<C, 'quit'>, number>>(true);
expectType<Equal<CallResult<C, 'maybeQuit'>, 'kept' | undefined>>(true);
// A module namespace type works as well as the definition itself.
expectType<Equal<CallResult<{ default: C }, 'get'>, number>>(true);
// No casts declared means no cast names (not "any string").
expectType<Equal<CastName<typeof Stateless>, never>>(true);

defineWorker({
  init: () => ({ n: 1 }),
  calls: {
    // @ts-expect-error the state has no property 'missing'
    bad: (s) => s.missing,
  },
});

defineWorker({
  // @ts-expect-error handlers must be functions
  calls: { notAFunction: 42 },
});

defineWorker({
  init: () => ({ n: 1 }),
  // @ts-expect-error terminate gets the state type from init, which has no 'other'
  terminate: (s) => s.other,
});

// init(args, ctx): the second parameter is the actor context, typed without an annotation, and the args
// type is still inferred from the first; the context kept in the state types the handlers' use of it.
const WithContext = defineWorker({
  init: (args: { start: number }, ctx) => ({ ctx, n: args.start }),
  calls: {
    path: (s) => s.ctx.self.path,
    incarnation: (s) => s.ctx.self.incarnation,
  },
  terminate: (s, _reason, ctx) => {
    expectType<Equal<typeof ctx, ActorContext>>(true);
    s.n = ctx.self.incarnation;
  },
});
expectType<Equal<InitArgs<typeof WithContext>, { start: number }>>(true);
expectType<Equal<WorkerState<typeof WithContext>, { ctx: ActorContext; n: number }>>(true);
expectType<Equal<CallResult<typeof WithContext, 'path'>, string>>(true);
expectType<Equal<CallResult<typeof WithContext, 'incarnation'>, number>>(true);
expectType<Equal<ActorContext['self'], ActorSelf>>(true);

// Neither parameter annotated, as in the docs' one-liner: no args, and the state still flows to handlers.
const Unannotated = defineWorker({
  init: (_args, ctx) => ({ ctx, n: 0 }),
  calls: { where: (s) => `${s.ctx.self.path}#${s.ctx.self.incarnation}` },
});
expectType<Equal<InitArgs<typeof Unannotated>, undefined>>(true);
expectType<Equal<CallResult<typeof Unannotated, 'where'>, string>>(true);

defineWorker({
  init: (_args: undefined, ctx) => {
    // @ts-expect-error the identity is read-only
    ctx.self.path = 'elsewhere';
    // @ts-expect-error so is the context
    ctx.self = { path: 'elsewhere', incarnation: 2 };
    return {};
  },
});
