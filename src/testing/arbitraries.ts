/**
 * Entry point `threadvisor/testing/arbitraries`: fast-check arbitraries for supervision trees and fault
 * schedules, so a tree's restart policy can be property-tested against thousands of random failure
 * histories. fast-check is an optional peer dependency and this is the only entry point that loads it:
 * `threadvisor/testing` (the simulator, `SimulatedHost`, `VirtualClock`) works without it.
 */
import fc from 'fast-check';
import type { BackoffOptions } from '../core/backoff.js';
import type { ChildSpec, Shutdown, SupervisorChildSpec, WorkerChildSpec } from '../core/child-spec.js';
import type { AutoShutdown, SupervisorSpec } from '../core/supervisor-flags.js';
import type { Scenario } from './format.js';
import { workerPaths } from './paths.js';
import type { Fault, SimulatedCrashReason } from './types.js';

// Also exported here, so code that imported the arbitraries and workerPaths from `threadvisor/testing`
// moves by changing the specifier only.
export { workerPaths };

/** Shapes the trees {@link treeArbitrary} produces. */
export interface TreeArbitraryOptions {
  /**
   * Supervisor levels, the root included: 1 gives workers only, 3 a root, child supervisors and
   * grandchild supervisors (whose children are workers).
   * @default 3
   */
  maxDepth?: number;
  /** The most children one supervisor gets (at least 1 always). @default 4 */
  maxChildren?: number;
}

/** Shapes the schedules {@link faultScheduleArbitrary} produces. */
export interface FaultScheduleOptions {
  /** The most faults in one schedule. @default 12 */
  maxFaults?: number;
  /** The latest virtual time a fault happens at, in ms. @default 10000 */
  maxTimeMs?: number;
}

/** Options of {@link scenarioArbitrary}: the tree's and the schedule's. */
export interface ScenarioArbitraryOptions extends TreeArbitraryOptions, FaultScheduleOptions {}

type RestartType = NonNullable<ChildSpec['restart']>;

/** Drops `undefined` fields so generated specs print (and compare) like hand-written ones. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** `undefined` (the default) about a third of the time, so defaults get exercised too. */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 3 });
}

const restartArb: fc.Arbitrary<RestartType> = fc.constantFrom('permanent', 'transient', 'temporary');

const workerShutdownArb: fc.Arbitrary<Shutdown | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3000 }) },
  { weight: 1, arbitrary: fc.constant('brutal_kill' as const) },
  { weight: 1, arbitrary: fc.constant('infinity' as const) },
);

/** Backoff options: jitter is 0 (or left out) about half the time so delays can be checked exactly. */
const backoffArb: fc.Arbitrary<BackoffOptions> = fc
  .record({
    initialMs: fc.integer({ min: 0, max: 500 }),
    spread: fc.integer({ min: 0, max: 5000 }),
    factor: maybe(fc.constantFrom(1, 1.5, 2, 3)),
    jitter: maybe(fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 50 }).map((p) => p / 100))),
    resetAfterMs: maybe(fc.integer({ min: 100, max: 20_000 })),
  })
  .map(({ initialMs, spread, factor, jitter, resetAfterMs }) =>
    compact({ initialMs, maxMs: initialMs + spread, factor, jitter, resetAfterMs }),
  );

const flagBackoffArb: fc.Arbitrary<BackoffOptions | false | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(false as const) },
  { weight: 3, arbitrary: backoffArb },
);

const flagsArb = fc.record({
  strategy: maybe(fc.constantFrom('one_for_one' as const, 'one_for_all' as const, 'rest_for_one' as const)),
  maxRestarts: maybe(fc.integer({ min: 0, max: 5 })),
  // Round periods often, so restarts land exactly `periodMs` apart (the edge of the window) now and then.
  periodMs: maybe(fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(100, 200, 500, 1000, 5000))),
  backoff: flagBackoffArb,
});

/** `significant` is only ever set on transient and temporary children (the schema refuses permanent ones). */
function significantFor(restart: RestartType | undefined): fc.Arbitrary<boolean | undefined> {
  if (restart === undefined || restart === 'permanent') return fc.constant(undefined);
  return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.boolean() });
}

/** A worker child without its id (ids are given by position once the siblings are known). */
const workerArb: fc.Arbitrary<Omit<WorkerChildSpec, 'id' | 'module'>> = maybe(restartArb).chain((restart) =>
  fc
    .record({
      significant: significantFor(restart),
      shutdown: workerShutdownArb,
      backoff: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(false as const) },
        { weight: 2, arbitrary: backoffArb },
      ),
    })
    .map((rest) => compact({ type: 'worker' as const, restart, ...rest })),
);

type Unnamed = Omit<WorkerChildSpec, 'id' | 'module'> | Omit<SupervisorChildSpec, 'id'>;

/** Gives children ids unique among their siblings: `w<i>` for workers, `s<i>` for supervisors. */
function named(children: Unnamed[]): ChildSpec[] {
  return children.map((c, i) => {
    if (c.type === 'worker') {
      const id = `w${i}`;
      return { id, module: `sim:${id}`, ...c } as WorkerChildSpec;
    }
    return { id: `s${i}`, ...c } as SupervisorChildSpec;
  });
}

/**
 * autoShutdown and significant children go together (OTP's bad_combination rule): 'never' (the default)
 * refuses significant children and the other two need one, so it is chosen after the children.
 */
function autoShutdownFor(children: ChildSpec[]): fc.Arbitrary<AutoShutdown | undefined> {
  if (!children.some((c) => c.significant)) return fc.constantFrom(undefined, 'never' as const);
  return fc.constantFrom('any_significant' as const, 'all_significant' as const);
}

/** The flags and children of a supervisor at `level` (1 is the root). */
function supervisorBodyArb(level: number, maxDepth: number, maxChildren: number): fc.Arbitrary<SupervisorSpec> {
  const child: fc.Arbitrary<Unnamed> =
    level < maxDepth
      ? fc.oneof({ weight: 3, arbitrary: workerArb }, { weight: 1, arbitrary: nestedSupervisorArb(level + 1, maxDepth, maxChildren) })
      : workerArb;
  return fc
    .record({ flags: flagsArb, children: fc.array(child, { minLength: 1, maxLength: maxChildren }).map(named) })
    .chain(({ flags, children }) =>
      autoShutdownFor(children).map((autoShutdown) => compact({ ...flags, autoShutdown, children }) as SupervisorSpec),
    );
}

function nestedSupervisorArb(level: number, maxDepth: number, maxChildren: number): fc.Arbitrary<Omit<SupervisorChildSpec, 'id'>> {
  return maybe(restartArb).chain((restart) =>
    fc
      .record({
        significant: significantFor(restart),
        // A supervisor child waits for its subtree to stop: OTP's `infinity`, stated or defaulted.
        shutdown: fc.constantFrom(undefined, 'infinity' as const),
        body: supervisorBodyArb(level, maxDepth, maxChildren),
      })
      .map(({ significant, shutdown, body }) => {
        const { children, ...flags } = body;
        return compact({ type: 'supervisor' as const, restart, significant, shutdown, ...flags, children });
      }),
  );
}

/**
 * Random supervision trees, valid for `supervisorSpecSchema`: every strategy, restart type and shutdown
 * (ms, `brutal_kill`, `infinity`; supervisor children always `infinity`), `maxRestarts` 0..5, `periodMs`
 * 1..10000, backoff none or with jitter 0 or > 0 (per supervisor and per worker), and auto-shutdown over
 * significant transient/temporary children. Worker modules are placeholders (`sim:<id>`) for the simulator;
 * ids are `w<i>`/`s<i>`, unique among siblings. Options left out use the defaults.
 *
 * @example
 * fc.assert(fc.property(treeArbitrary({ maxDepth: 2 }), (spec) => supervisorSpecSchema.safeParse(spec).success));
 */
export function treeArbitrary(options: TreeArbitraryOptions = {}): fc.Arbitrary<SupervisorSpec> {
  const maxDepth = Math.max(1, options.maxDepth ?? 3);
  const maxChildren = Math.max(1, options.maxChildren ?? 4);
  return supervisorBodyArb(1, maxDepth, maxChildren);
}

const crashReasonArb: fc.Arbitrary<SimulatedCrashReason> = fc.constantFrom('error', 'exit', 'oom', 'killed', 'shutdown');

/** One fault's kind and its parameters (without `at` and `path`). */
const faultKindArb = fc.oneof(
  { weight: 6, arbitrary: crashReasonArb.map((reason) => ({ fault: 'crash' as const, reason })) },
  { weight: 2, arbitrary: fc.constant({ fault: 'exit_normal' as const }) },
  { weight: 1, arbitrary: fc.constant({ fault: 'hang' as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ fault: 'fail_starts' as const, count })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }).map((ms) => ({ fault: 'slow_start' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 8000 }).map((ms) => ({ fault: 'slow_stop' as const, ms })) },
);

/**
 * Random fault schedules aimed at the workers of `tree`, at whole virtual ms, sorted by `at` (faults at
 * the same time keep their generated order). About one fault in ten lands at t=0, before the tree starts,
 * so failing and slow initial starts are covered, and many land on a 100 ms grid, so simultaneous faults
 * and restarts exactly at the edge of the intensity window happen. A tree without workers gets the empty
 * schedule.
 *
 * @example
 * fc.sample(faultScheduleArbitrary(spec, { maxFaults: 3 }), 1);
 * // [[{ at: 0, path: 'w1', fault: 'fail_starts', count: 2 }, { at: 812, path: 's0/w0', fault: 'crash', reason: 'oom' }]]
 */
export function faultScheduleArbitrary(tree: SupervisorSpec, options: FaultScheduleOptions = {}): fc.Arbitrary<Fault[]> {
  const paths = workerPaths(tree);
  if (paths.length === 0) return fc.constant([]);
  const maxTimeMs = Math.max(0, options.maxTimeMs ?? 10_000);
  // Some times on a 100 ms grid, so faults coincide with each other, with round periods and with delays.
  const at = fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 5, arbitrary: fc.integer({ min: 0, max: maxTimeMs }) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: Math.floor(maxTimeMs / 100) }).map((n) => n * 100) },
  );
  const fault: fc.Arbitrary<Fault> = fc
    .tuple(at, fc.constantFrom(...paths), faultKindArb)
    .map(([t, path, kind]) => ({ at: t, path, ...kind }) as Fault);
  // Array.prototype.sort is stable, so equal times keep the order fast-check generated them in.
  return fc.array(fault, { maxLength: options.maxFaults ?? 12 }).map((faults) => [...faults].sort((a, b) => a.at - b.at));
}

/**
 * Whole scenarios: a tree from {@link treeArbitrary}, a schedule for it from {@link faultScheduleArbitrary}
 * and a seed for backoff jitter.
 *
 * @example
 * fc.assert(fc.property(scenarioArbitrary(), ({ spec, faults, seed }) => {
 *   const result = simulate(spec, faults, { seed });
 *   return result.exited !== null;
 * }));
 */
export function scenarioArbitrary(options: ScenarioArbitraryOptions = {}): fc.Arbitrary<Scenario> {
  return treeArbitrary(options).chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      faults: faultScheduleArbitrary(spec, options),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
    }),
  );
}
