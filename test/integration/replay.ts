// Runs a fault schedule against real worker threads, one fault at a time: each is applied once the tree
// is idle (no start or stop in flight, no restart timer pending), so the order of events is determined by
// the supervision semantics alone and can be compared with the simulator's for the same schedule.
import { pino } from 'pino';
import { ChildUnavailableError, startSupervisor, type Supervisor } from '../../src/index.js';
import type { ChildSpec } from '../../src/core/child-spec.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';
import type { ActorHandle, ChildHost, WorkerStartOptions } from '../../src/seams/child-host.js';
import { ThreadHost } from '../../src/runtime/thread-host.js';
import { realClock } from '../../src/runtime/clock.js';
import type { Clock } from '../../src/seams/clock.js';
import { toTraceEvent } from '../../src/testing/trace.js';
import { seededRandom } from '../../src/testing/random.js';
import { workerPaths } from '../../src/testing/arbitraries.js';
import type { Fault, TraceEvent } from '../../src/testing/types.js';

/** Counts what is in flight, so the replay knows when the tree is idle. */
class Inflight {
  starts = 0;
  stops = 0;
  timers = new Set<unknown>();
  get idle(): boolean {
    return this.starts === 0 && this.stops === 0 && this.timers.size === 0;
  }
}

function countingHost(inflight: Inflight): ChildHost {
  const host = new ThreadHost();
  const track = (actor: ActorHandle): ActorHandle => ({
    get actorId() { return actor.actorId; },
    get threadId() { return actor.threadId; },
    get exited() { return actor.exited; },
    get alive() { return actor.alive; },
    call: (m, a, o) => actor.call(m, a, o),
    cast: (m, a) => actor.cast(m, a),
    stop: (reason, options) => {
      inflight.stops += 1;
      const done = actor.stop(reason, options);
      void done.finally(() => (inflight.stops -= 1));
      return done;
    },
  });
  return {
    checkModule: () => null,
    async start(options: WorkerStartOptions) {
      inflight.starts += 1;
      try {
        const outcome = await host.start(options);
        return outcome.status === 'started' ? { status: 'started', actor: track(outcome.actor) } : outcome;
      } finally {
        inflight.starts -= 1;
      }
    },
  };
}

function countingClock(inflight: Inflight): Clock {
  return {
    now: () => realClock.now(),
    setTimer(fn, ms) {
      const handle: unknown = realClock.setTimer(() => {
        inflight.timers.delete(handle);
        fn();
      }, ms);
      inflight.timers.add(handle);
      return handle;
    },
    clearTimer(handle) {
      inflight.timers.delete(handle);
      realClock.clearTimer(handle);
    },
  };
}

/** Gives every worker of `spec` the replay module and its own control slot (by its index in `paths`). */
function realSpec(spec: SupervisorSpec, module: URL, control: Int32Array, paths: string[], prefix = ''): SupervisorSpec {
  const map = (child: ChildSpec): ChildSpec => {
    const path = prefix === '' ? child.id : `${prefix}/${child.id}`;
    if (child.type === 'supervisor') return { ...child, ...realSpec(child, module, control, paths, path) } as ChildSpec;
    // Generated trees hold no dynamic supervisor (the simulator starts no children at run time).
    if (child.type === 'dynamic_supervisor') return child;
    // Hangs are not replayed, so heartbeats would only add a way to diverge on a loaded machine.
    return { ...child, module, args: { control, slot: paths.indexOf(path) }, heartbeatMs: false };
  };
  return { ...spec, children: spec.children.map(map) };
}

async function until(condition: () => boolean): Promise<void> {
  // Settled twice in a row: a promise callback may still be about to start something.
  for (let stable = 0; stable < 3; ) {
    await new Promise((resolve) => setImmediate(resolve));
    stable = condition() ? stable + 1 : 0;
  }
}

/** Replays `faults` (in order, each once the tree is idle) on real threads and returns the trace. */
export async function replay(spec: SupervisorSpec, faults: readonly Fault[], seed: number, module: URL): Promise<TraceEvent[]> {
  const paths = workerPaths(spec);
  const control = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, paths.length)));
  const inflight = new Inflight();
  const trace: TraceEvent[] = [];
  let sup: Supervisor | null = null;
  try {
    sup = await startSupervisor(realSpec(spec, module, control, paths), {
      host: countingHost(inflight),
      clock: countingClock(inflight),
      random: seededRandom(seed),
      logger: pino({ level: 'silent' }),
      tap: (path, report) => {
        const event = toTraceEvent(path, report, 0);
        if (event !== null) trace.push(event);
      },
    });
  } catch {
    // A start that fails is part of the trace (start_failed, the stops, supervisor_exited): compare that.
    return trace;
  }
  for (const fault of faults) {
    await until(() => inflight.idle);
    if (sup.tree().phase === 'exited') break;
    if (fault.fault === 'fail_starts') {
      Atomics.store(control, paths.indexOf(fault.path), fault.count);
      continue;
    }
    const method = fault.fault === 'exit_normal' ? 'quit' : fault.fault === 'crash' ? ({ error: 'crash', exit: 'exit', shutdown: 'retire' } as Record<string, string>)[fault.reason] : undefined;
    if (method === undefined) throw new Error(`replay cannot inject ${JSON.stringify(fault)} into a real thread`);
    const seen = trace.length;
    const at = fault.path.lastIndexOf('/');
    const [sup0, child] = at < 0 ? ['', fault.path] : [fault.path.slice(0, at), fault.path.slice(at + 1)];
    try {
      sup.ref(fault.path).cast(method);
    } catch (error) {
      if (error instanceof ChildUnavailableError) continue; // not running: the simulator skips it too
      throw error;
    }
    await until(() => trace.slice(seen).some((e) => e.type === 'exited' && e.sup === sup0 && e.child === child));
  }
  await until(() => inflight.idle);
  await sup.stop();
  return trace;
}

/** The simulator's view of the same replay: faults spaced far apart so each settles before the next. */
export function spaced(faults: readonly Fault[], gap = 1_000_000): { faults: Fault[]; untilMs: number } {
  return { faults: faults.map((f, i) => ({ ...f, at: (i + 1) * gap })), untilMs: (faults.length + 1) * gap };
}
