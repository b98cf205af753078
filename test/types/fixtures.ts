// Worker definitions the type tests reason about (compiled, never run).
import { defineWorker, ignore, stop } from '../../src/worker/index.js';

export const Counter = defineWorker({
  init: (args: { start: number }) => ({ n: args.start }),
  calls: {
    add: (s, k: number) => (s.n += k),
    get: (s) => s.n,
    label: async (s, prefix: string, pad?: number) => `${prefix}${String(s.n).padStart(pad ?? 0)}`,
    quit: (s) => stop('normal', s.n),
    maybeQuit: (s) => (s.n > 10 ? stop({ shutdown: 'full' }) : 'kept'),
  },
  casts: {
    reset: (s) => {
      s.n = 0;
    },
    set: (s, n: number) => {
      s.n = n;
    },
  },
  terminate: (s, reason) => {
    s.n = reason.kind === 'normal' ? 0 : -1;
  },
});

export const Optional = defineWorker({
  init: async (args: { enabled: boolean }) => (args.enabled ? { hits: 0 } : ignore()),
  calls: { hits: (s) => s.hits },
});

export const Stateless = defineWorker({
  calls: { ping: (_s) => 'pong' as const },
});

export const NoArgs = defineWorker({
  init: () => ({ items: [] as string[] }),
  casts: { push: (s, item: string) => void s.items.push(item) },
});

export const Session = defineWorker({
  init: (args: { userId: number; locale: string }) => ({ ...args, greeted: 0 }),
  calls: { greet: (s) => `hello ${s.userId}` },
});

export const Scaled = defineWorker({
  init: (factor: number) => ({ factor }),
  calls: { scale: (s, x: number) => s.factor * x },
});

export const MaybeNamed = defineWorker({
  init: (args?: { name: string }) => ({ name: args?.name ?? 'anonymous' }),
});
