// Type tests through the published declaration files (dist/, so `npm run build` first, as `npm test` does):
// a worker typed by `threadvisor/worker` must type a ref from `threadvisor`, which ship separate .d.ts, and
// the arbitraries of `threadvisor/testing/arbitraries` must produce what `threadvisor/testing` consumes.
import type fc from 'fast-check';
import type { SupervisorSpec, WorkerRef } from 'threadvisor';
import { startDynamicSupervisor, worker } from 'threadvisor';
import type { Fault, Scenario } from 'threadvisor/testing';
import { faultScheduleArbitrary, scenarioArbitrary, treeArbitrary } from 'threadvisor/testing/arbitraries';
import { defineWorker, stop } from 'threadvisor/worker';
import type { ActorContext } from 'threadvisor/worker';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';

const Published = defineWorker({
  init: (args: { start: number }, ctx: ActorContext) => ({ n: args.start, path: ctx.self.path }),
  calls: { add: (s, k: number) => (s.n += k), quit: (s) => stop('normal', String(s.n)) },
});

declare const ref: WorkerRef<typeof Published>;

// The context in init leaves the start arguments' type as it was.
expectType<Equal<Parameters<typeof startWithArgs>[0], { start: number }>>(true);
declare function startWithArgs(args: Parameters<typeof Published.init>[0]): void;

export async function publishedTypesAgree(): Promise<void> {
  const n = await ref.call('add', 1);
  expectType<Equal<typeof n, number>>(true);
  const reply = await ref.call('quit');
  expectType<Equal<typeof reply, string>>(true);
  // @ts-expect-error 'add' takes a number
  await ref.call('add', 'one');
}

export async function publishedInitArgsAgree(module: URL): Promise<void> {
  worker<typeof Published>({ id: 'counter', module, args: { start: 1 } });
  // @ts-expect-error start is a number
  worker<typeof Published>({ id: 'counter', module, args: { start: 'one' } });
  // @ts-expect-error Published's init requires its args
  worker<typeof Published>({ id: 'counter', module });
  const pool = await startDynamicSupervisor<typeof Published>({ template: { module } });
  await pool.startChild({ start: 2 });
  // @ts-expect-error start is a number
  await pool.startChild({ start: 'two' });
}

export function publishedArbitrariesAgree(spec: SupervisorSpec): void {
  expectType<Equal<ReturnType<typeof treeArbitrary>, fc.Arbitrary<SupervisorSpec>>>(true);
  expectType<Equal<ReturnType<typeof faultScheduleArbitrary>, fc.Arbitrary<Fault[]>>>(true);
  expectType<Equal<ReturnType<typeof scenarioArbitrary>, fc.Arbitrary<Scenario>>>(true);
  faultScheduleArbitrary(spec, { maxFaults: 3 });
  // @ts-expect-error maxDepth is a number
  treeArbitrary({ maxDepth: 'deep' });
}
