// Runs a fault schedule through the real supervisor shell on the test kit's SimulatedHost and VirtualClock,
// with every fault of the simulator's vocabulary (hangs, slow stops and starts included), so its trace can
// be compared with simulate()'s for the same schedule: same virtual times, same events, same order.
import { pino } from 'pino';
import { startSupervisor } from '../../src/supervisor/start-supervisor.js';
import type { Supervisor } from '../../src/supervisor/start-supervisor.js';
import type { ChildSpec } from '../../src/core/child-spec.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { ExitReason } from '../../src/protocol/exit-reason.js';
import { SimulatedHost, type SimulatedBehaviour } from '../../src/testing/simulated-host.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { seededRandom } from '../../src/testing/random.js';
import { toTraceEvent } from '../../src/testing/trace.js';
import { workerPaths } from '../../src/testing/arbitraries.js';
import type { ChildPath, Fault, TraceEvent } from '../../src/testing/types.js';

/** What the simulator's fault kinds look like as exit reasons (the same shapes `simulate()` uses). */
const crashReasons: Record<string, (path: ChildPath) => ExitReason> = {
  error: (path) => ({ kind: 'error', error: { name: 'SimulatedCrash', message: `fault injected into ${path}` } }),
  exit: () => ({ kind: 'exit', code: 1 }),
  oom: () => ({ kind: 'oom' }),
  killed: () => ({ kind: 'killed' }),
  shutdown: () => ({ kind: 'shutdown', detail: 'simulated' }),
};

/** The outcome of one run of the shell. */
export interface ShellRun {
  trace: TraceEvent[];
  /** The root's exit reason (from its `supervisor_exited` report), or `null` if it never exited. */
  exitReason: ExitReason | null;
  /** Simulated workers still alive and virtual timers still pending when the clock ran dry. */
  alive: number;
  pendingTimers: number;
}

/** Gives every worker its own module, `sim:<path>`: ids repeat across supervisors, paths do not. */
function perPathModules(spec: SupervisorSpec, prefix = ''): SupervisorSpec {
  const map = (child: ChildSpec): ChildSpec => {
    const path = prefix === '' ? child.id : `${prefix}/${child.id}`;
    if (child.type === 'supervisor') return { ...child, ...perPathModules(child, path) } as ChildSpec;
    // A dynamic supervisor has no children by spec; its template's module is left as given.
    if (child.type === 'dynamic_supervisor') return child;
    return { ...child, module: `sim:${path}` };
  };
  return { ...spec, children: spec.children.map(map) };
}

/**
 * Runs `spec` under the real shell against `faults` (at their virtual times) and stops the root at
 * `untilMs`, as `simulate(spec, faults, { seed, untilMs, hangDetectMs })` does. Faults are timers armed
 * before the tree starts, so at equal times they come first, as in the simulator's queue. A hang is
 * `SimulatedActor.hang()` plus the heartbeat's verdict `hangDetectMs` later, unless the worker was asked
 * to stop with a finite shutdown by then (the thread host's rule, and the simulator's).
 */
export async function runShell(spec: SupervisorSpec, faults: readonly Fault[], options: { seed: number; untilMs: number; hangDetectMs?: number }): Promise<ShellRun> {
  const hangDetectMs = options.hangDetectMs ?? 2000;
  const clock = new VirtualClock();
  const simulated = new SimulatedHost(clock);
  const behaviours = new Map<ChildPath, SimulatedBehaviour>();
  for (const path of workerPaths(spec)) {
    const behaviour: SimulatedBehaviour = { startMs: 0, stopMs: 0 };
    behaviours.set(path, behaviour);
    simulated.define(`sim:${path}`, behaviour);
  }
  const inject = (fault: Fault): void => {
    const module = `sim:${fault.path}`;
    const behaviour = behaviours.get(fault.path)!;
    switch (fault.fault) {
      case 'fail_starts':
        simulated.failNextStarts(module, fault.count);
        return;
      case 'slow_start':
        behaviour.startMs = fault.ms;
        return;
      case 'slow_stop':
        behaviour.stopMs = fault.ms;
        return;
    }
    const actor = simulated.current(module);
    if (actor === undefined) return;
    switch (fault.fault) {
      case 'crash':
        return actor.crash(crashReasons[fault.reason]!(fault.path));
      case 'exit_normal':
        return actor.crash({ kind: 'normal' });
      case 'hang':
        if (actor.hung || actor.stoppingWith !== null) return;
        actor.hang();
        clock.setTimer(() => {
          const judged = actor.stoppingWith === null || actor.stoppingWith === 'infinity';
          if (actor.alive && judged) actor.crash({ kind: 'hung', missedMs: hangDetectMs });
        }, hangDetectMs);
        return;
    }
  };

  const trace: TraceEvent[] = [];
  let exitReason: ExitReason | null = null;
  let root: Supervisor | null = null;
  // The tree starts at 0 as soon as startSupervisor is called: faults at 0 are in place before it.
  for (const fault of faults) {
    if (fault.at <= 0) inject(fault);
    else clock.setTimer(() => inject(fault), fault.at);
  }
  clock.setTimer(() => void root?.stop(), options.untilMs);
  const started = startSupervisor(perPathModules(spec), {
    clock,
    host: simulated,
    random: seededRandom(options.seed),
    logger: pino({ level: 'silent' }),
    tap: (path, report, now) => {
      if (report.type === 'supervisor_exited' && path === '') exitReason = report.reason;
      const event = toTraceEvent(path, report, now);
      if (event !== null) trace.push(event);
    },
  });
  started.then((sup) => (root = sup), () => undefined);
  await clock.runAll(options.untilMs + 10_000_000);
  return { trace, exitReason, alive: simulated.alive, pendingTimers: clock.pendingTimers };
}

/** An exit reason without its serialized errors, whose messages name modules rather than paths. */
export function reasonShape(reason: ExitReason | null): unknown {
  if (reason === null) return null;
  return JSON.parse(JSON.stringify(reason, (key, value: unknown) => (key === 'error' ? '<error>' : value)));
}
