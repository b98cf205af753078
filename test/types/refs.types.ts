// Type tests of the typed references: startWorker's WorkerRef and the ActorRef a supervisor's ref reuses.
import type { ActorRef, ExitReason, WorkerRef } from '../../src/index.js';
import { startWorker } from '../../src/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';
import type { Counter, NoArgs, Stateless } from './fixtures.js';

declare const counter: WorkerRef<typeof Counter>;
declare const module: URL;

export async function rightCallsCompile(): Promise<void> {
  const added = await counter.call('add', 2);
  expectType<Equal<typeof added, number>>(true);
  const got = await counter.call('get');
  expectType<Equal<typeof got, number>>(true);
  const label = await counter.call('label', 'n=', 3);
  expectType<Equal<typeof label, string>>(true);
  await counter.call('label', 'n=');
  const bye = await counter.withTimeout(100).call('quit');
  expectType<Equal<typeof bye, number>>(true);
  counter.cast('reset');
  counter.cast('set', 5);
  const reason: ExitReason = await counter.stop({ kind: 'shutdown', detail: 'bye' }, { shutdown: 'brutal_kill' });
  expectType<Equal<typeof reason, ExitReason>>(true);
  expectType<Equal<Awaited<typeof counter.exited>, ExitReason>>(true);
  const ref: ActorRef<typeof Counter> = counter;
  expectType<Equal<Awaited<ReturnType<typeof ref.call<'add'>>>, number>>(true);
}

export async function wrongCallsFail(): Promise<void> {
  // @ts-expect-error no call named 'ad'
  await counter.call('ad', 2);
  // @ts-expect-error 'add' takes a number
  await counter.call('add', '2');
  // @ts-expect-error 'add' takes one argument
  await counter.call('add');
  // @ts-expect-error 'add' takes one argument
  await counter.call('add', 1, 2);
  // @ts-expect-error 'reset' is a cast, not a call
  await counter.call('reset');
  // @ts-expect-error 'get' is a call, not a cast
  counter.cast('get');
  // @ts-expect-error 'set' takes a number
  counter.cast('set', 'five');
  // @ts-expect-error the result of 'add' is a number
  const s: string = await counter.call('add', 1);
  void s;
  // @ts-expect-error the same checks through withTimeout
  await counter.withTimeout(10).call('add', '2');
}

export async function startArgsAreTyped(): Promise<void> {
  await startWorker<typeof Counter>({ module, args: { start: 1 } });
  // @ts-expect-error Counter's init requires { start: number }
  await startWorker<typeof Counter>({ module });
  // @ts-expect-error start must be a number
  await startWorker<typeof Counter>({ module, args: { start: '1' } });
  // init takes nothing: args may be left out.
  await startWorker<typeof NoArgs>({ module });
  const stateless = await startWorker<typeof Stateless>({ module });
  const pong = await stateless.call('ping');
  expectType<Equal<typeof pong, 'pong'>>(true);
}

export async function untypedRefsTakeAnything(): Promise<void> {
  const loose = await startWorker({ module, args: 123 });
  const value = await loose.call('whatever', 1, 'two', { three: 3 });
  expectType<Equal<typeof value, unknown>>(true);
  loose.cast('anything');
}
