// Type tests of pools: run() typed from the job handler module (a wrong handler name or argument is a
// compile error), run options after the arguments, the handlers' context, and the pool child spec.
import type { JobContext, Pool, PoolRef } from '../../src/index.js';
import { pool, startPool, supervisor } from '../../src/index.js';
import { defineJobHandler } from '../../src/worker/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';

export const Jobs = defineJobHandler({
  init: (_args: { region: string }, ctx) => {
    expectType<Equal<typeof ctx.self.path, string>>(true);
  },
  handlers: {
    echo: (_ctx, x: number) => x,
    resize: async (ctx, img: Uint8Array, width: number) => {
      ctx.signal.throwIfAborted();
      expectType<Equal<typeof ctx, JobContext>>(true);
      expectType<Equal<typeof ctx.job.delivery, number>>(true);
      return img.subarray(0, width);
    },
    label: (_ctx, prefix: string, pad?: number) => `${prefix}${pad ?? 0}`,
  },
});

declare const jobs: Pool<typeof Jobs>;
declare const module: URL;
declare const img: Uint8Array;

export async function rightRunsCompile(): Promise<void> {
  const n = await jobs.run('echo', 42);
  expectType<Equal<typeof n, number>>(true);
  const out = await jobs.run('resize', img, 100, { timeoutMs: 1000, signal: AbortSignal.timeout(5), transfer: [img.buffer as ArrayBuffer] });
  expectType<Equal<typeof out, Uint8Array>>(true);
  const label = await jobs.run('label', 'n=');
  expectType<Equal<typeof label, string>>(true);
  await jobs.run('label', 'n=', 3, { timeoutMs: 5 });
  const started = await startPool<typeof Jobs>({ module, threads: 2, args: { region: 'eu' } });
  const ref: PoolRef<typeof Jobs> = started;
  expectType<Equal<Awaited<ReturnType<typeof ref.run<'echo'>>>, number>>(true);
  supervisor({ id: 'media', children: [pool<typeof Jobs>({ id: 'resizers', module, threads: 4, args: { region: 'us' } })] });
}

export async function wrongRunsFail(): Promise<void> {
  // @ts-expect-error no handler named 'ech'
  await jobs.run('ech', 1);
  // @ts-expect-error 'echo' takes a number
  await jobs.run('echo', '1');
  // @ts-expect-error 'echo' takes one argument
  await jobs.run('echo');
  // @ts-expect-error 'resize' takes an image and a width
  await jobs.run('resize', img);
  // @ts-expect-error run options have no 'timeout' key
  await jobs.run('echo', 1, { timeout: 5 });
  // @ts-expect-error init args must match the module's init
  await startPool<typeof Jobs>({ module, args: { region: 1 } });
  // @ts-expect-error init args must match the module's init
  pool<typeof Jobs>({ id: 'p', module, args: { zone: 'x' } });
}
