// Type tests of messaging between actors: `ctx.ref<typeof Other>` types calls and casts as a main-thread
// ref does, monitors hand back MonitorRefs, `info` gets DownNotices, `tree.monitor` types its callback.
// The same holds through the published declaration files (a worker typed by `threadvisor/worker`).
import type { DownNotice, DownReason, MonitorRef, PeerRef, Supervisor, TreeMonitor } from '../../src/index.js';
import { defineWorker } from '../../src/worker/index.js';
import { defineWorker as publishedDefineWorker } from 'threadvisor/worker';
import type { PeerRef as PublishedPeerRef } from 'threadvisor/worker';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';
import type { Counter } from './fixtures.js';

export const Caller = defineWorker({
  init: (_args: undefined, ctx) => ({ ctx, downs: [] as DownNotice[] }),
  calls: {
    relay: async (s, k: number) => {
      const counter = s.ctx.ref<typeof Counter>('counter');
      expectType<Equal<typeof counter, PeerRef<typeof Counter>>>(true);
      const n = await counter.call('add', k);
      expectType<Equal<typeof n, number>>(true);
      const label = await counter.withTimeout(100).call('label', 'n=');
      expectType<Equal<typeof label, string>>(true);
      counter.cast('reset');
      // @ts-expect-error 'add' takes a number
      await counter.call('add', 'one');
      // @ts-expect-error no such call
      await counter.call('nope');
      // @ts-expect-error no such cast
      counter.cast('add', 1);
      const m = s.ctx.monitor(counter);
      expectType<Equal<typeof m, MonitorRef>>(true);
      s.ctx.monitor('jobs/queue');
      const removed = s.ctx.demonitor(m);
      expectType<Equal<typeof removed, boolean>>(true);
      return n;
    },
  },
  info: (s, message) => {
    expectType<Equal<typeof message, DownNotice>>(true);
    expectType<Equal<typeof message.reason, DownReason>>(true);
    expectType<Equal<typeof message.incarnation, number | undefined>>(true);
    if (message.reason.kind === 'noproc') return;
    s.downs.push(message);
  },
});

// An untyped ref takes any method, as a main-thread ref does.
export async function untypedPeer(ref: PeerRef): Promise<void> {
  await ref.call('anything', 1, 'two');
}

export function mainThreadMonitors(sup: Supervisor): void {
  const m = sup.monitor('bank', (notice) => {
    expectType<Equal<typeof notice, DownNotice>>(true);
  });
  expectType<Equal<typeof m, TreeMonitor>>(true);
  const stopped: boolean = m.demonitor();
  sup.demonitor(m);
  void stopped;
  // @ts-expect-error the callback is required
  sup.monitor('bank');
}

// Through the published declarations: a worker of `threadvisor/worker` types its refs and its callers'.
export const PublishedCaller = publishedDefineWorker({
  init: (_args: undefined, ctx) => ({ ctx }),
  calls: {
    total: async (s) => {
      const other = s.ctx.ref<typeof PublishedCaller>('caller');
      expectType<Equal<typeof other, PublishedPeerRef<typeof PublishedCaller>>>(true);
      const n = await other.call('total');
      expectType<Equal<typeof n, number>>(true);
      return 1;
    },
  },
});

export async function publishedCallerFromMain(sup: Supervisor): Promise<void> {
  const n = await sup.ref<typeof PublishedCaller>('caller').call('total');
  expectType<Equal<typeof n, number>>(true);
}
