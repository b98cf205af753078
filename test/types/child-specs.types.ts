// Type tests of init args in child specs: `worker<typeof W>()` checks `args` against W's init as
// `startWorker<typeof W>()` does; a dynamic supervisor's template and `startChild(extraArgs)` take parts
// of them (merged when both are objects). Untyped builders stay as permissive as before.
import type { DynamicSupervisor, NestedDynamicSupervisor, PartialInitArgs, Supervisor, WorkerChildSpec } from '../../src/index.js';
import { dynamicSupervisor, startDynamicSupervisor, supervisor, worker } from '../../src/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';
import type { Counter, MaybeNamed, NoArgs, Scaled, Session, Stateless } from './fixtures.js';

declare const module: URL;
declare const sup: Supervisor;

export function typedWorkerSpecs(): void {
  const counter = worker<typeof Counter>({ id: 'counter', module, args: { start: 1 } });
  // Once built it is an ordinary child spec, so typed and untyped children mix in one list.
  expectType<Equal<typeof counter, WorkerChildSpec>>(true);
  supervisor({ id: 'app', children: [counter, worker({ id: 'loose', module, args: 'anything' })] });
  // A module namespace type works as well as the definition.
  worker<{ default: typeof Counter }>({ id: 'counter', module, args: { start: 1 } });
  worker<typeof Scaled>({ id: 'scaled', module, args: 2 });
  // init takes nothing: args may be left out, or be undefined.
  worker<typeof NoArgs>({ id: 'list', module });
  worker<typeof NoArgs>({ id: 'list', module, args: undefined });
  worker<typeof Stateless>({ id: 'ping', module });
  // init's argument is optional: both forms compile.
  worker<typeof MaybeNamed>({ id: 'named', module });
  worker<typeof MaybeNamed>({ id: 'named', module, args: { name: 'x' } });
}

export function wrongWorkerArgsFail(): void {
  // @ts-expect-error start must be a number
  worker<typeof Counter>({ id: 'counter', module, args: { start: '1' } });
  // @ts-expect-error Counter's init requires { start: number }
  worker<typeof Counter>({ id: 'counter', module });
  // @ts-expect-error Counter's init has no 'begin'
  worker<typeof Counter>({ id: 'counter', module, args: { start: 1, begin: 0 } });
  // @ts-expect-error Scaled's init takes a number
  worker<typeof Scaled>({ id: 'scaled', module, args: { factor: 2 } });
  // @ts-expect-error NoArgs's init takes nothing
  worker<typeof NoArgs>({ id: 'list', module, args: { items: [] } });
  // @ts-expect-error the other fields are still checked
  worker<typeof Counter>({ id: 'counter', module, args: { start: 1 }, restart: 'sometimes' });
}

export function untypedWorkerSpecsTakeAnything(): void {
  worker({ id: 'a', module });
  worker({ id: 'b', module, args: 123 });
  worker({ id: 'c', module, args: { any: ['thing'] } });
}

export async function typedDynamicSupervisors(): Promise<void> {
  // The template holds a part of Session's args (merged with startChild's); it may hold none or all.
  dynamicSupervisor<typeof Session>({ id: 'sessions', template: { module, args: { locale: 'en' } } });
  dynamicSupervisor<typeof Session>({ id: 'sessions', template: { module } });
  // @ts-expect-error locale is a string
  dynamicSupervisor<typeof Session>({ id: 'sessions', template: { module, args: { locale: 1 } } });
  // @ts-expect-error Session's init has no 'region'
  dynamicSupervisor<typeof Session>({ id: 'sessions', template: { module, args: { region: 'eu' } } });
  // @ts-expect-error a non-object argument is taken whole: Scaled's is a number
  dynamicSupervisor<typeof Scaled>({ id: 'scaled', template: { module, args: '2' } });

  const pool = await startDynamicSupervisor<typeof Session>({ template: { module, args: { locale: 'en' } } });
  expectType<Equal<typeof pool, DynamicSupervisor<typeof Session>>>(true);
  await pool.startChild({ userId: 42 });
  await pool.startChild({ userId: 42, locale: 'fr' });
  await pool.startChild();
  // @ts-expect-error userId is a number
  await pool.startChild({ userId: '42' });
  // @ts-expect-error Session's init has no 'region'
  await pool.startChild({ region: 'eu' });
  // @ts-expect-error the template needs a module
  await startDynamicSupervisor<typeof Session>({ template: { args: { locale: 'en' } } });

  const scaled = await startDynamicSupervisor<typeof Scaled>({ template: { module, args: 1 } });
  await scaled.startChild(3);
  // @ts-expect-error Scaled's init takes a number, which replaces the template's
  await scaled.startChild({ factor: 3 });

  const nested = sup.dynamicSupervisor<typeof Session>('sessions');
  expectType<Equal<typeof nested, NestedDynamicSupervisor<typeof Session>>>(true);
  await nested.startChild({ userId: 7 });
  // @ts-expect-error userId is a number
  await nested.startChild({ userId: 'seven' });

  expectType<Equal<PartialInitArgs<typeof Session>, { userId?: number; locale?: string }>>(true);
  expectType<Equal<PartialInitArgs<typeof MaybeNamed>, { name?: string } | undefined>>(true);
  expectType<Equal<PartialInitArgs<typeof Scaled>, number>>(true);
}

export async function untypedDynamicSupervisorsTakeAnything(): Promise<void> {
  const pool = await startDynamicSupervisor({ template: { module, args: [1, 2] } });
  expectType<Equal<typeof pool, DynamicSupervisor>>(true);
  await pool.startChild('anything');
  await sup.dynamicSupervisor('sessions').startChild({ userId: 42 });
  dynamicSupervisor({ id: 'sessions', template: { module, args: 5 } });
}
