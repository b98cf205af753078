// Type tests of dynamic supervisor child specs and the handles that manage supervisors by path.
import type { ChildSpec, DynamicSupervisorChildSpec, NestedDynamicSupervisor, NestedSupervisor, ReportConsumer, Supervisor } from '../../src/index.js';
import { dynamicSupervisor, worker } from '../../src/index.js';
import { expectType } from './assert.js';
import type { Equal } from './assert.js';
import type { Counter } from './fixtures.js';

declare const sup: Supervisor;
declare const module: URL;

export async function handlesCompile(): Promise<void> {
  const sessions = dynamicSupervisor({ id: 'sessions', maxChildren: 10, template: { module, restart: 'transient' } });
  expectType<Equal<typeof sessions, DynamicSupervisorChildSpec>>(true);
  const child: ChildSpec = sessions;
  void child;
  const dyn = sup.dynamicSupervisor('sessions');
  expectType<Equal<typeof dyn, NestedDynamicSupervisor>>(true);
  const id = await dyn.startChild({ userId: 42 });
  expectType<Equal<typeof id, string | undefined>>(true);
  const added = await dyn.ref<typeof Counter>('child-1').call('add', 2);
  expectType<Equal<typeof added, number>>(true);
  const jobs = sup.supervisor('jobs');
  expectType<Equal<typeof jobs, NestedSupervisor>>(true);
  const started: void = await jobs.startChild(worker({ id: 'w2', module }));
  void started;
  const reporter: ReportConsumer = ({ report, at, threadId }) => {
    expectType<Equal<typeof at, number>>(true);
    expectType<Equal<typeof threadId, number | undefined>>(true);
    if (report.type === 'child_started') expectType<Equal<typeof report.restartCount, number>>(true);
  };
  void reporter;
}

export function wrongSpecsFail(): void {
  // @ts-expect-error a dynamic supervisor has one strategy, one_for_one
  dynamicSupervisor({ id: 'sessions', strategy: 'one_for_all', template: { module } });
  // @ts-expect-error a dynamic supervisor has a template, not children
  dynamicSupervisor({ id: 'sessions', children: [], template: { module } });
  // @ts-expect-error the template needs a module
  dynamicSupervisor({ id: 'sessions', template: {} });
  // @ts-expect-error a nested static supervisor takes whole child specs
  void sup.supervisor('jobs').startChild({ userId: 42 });
}
