// Shared by the shell tests on the simulated host: a virtual clock, a host with a few counter modules,
// a logger whose records the test can read, and a way to move virtual time until a promise settles.
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { startSupervisor, type Supervisor } from '../../src/supervisor/start-supervisor.js';
import type { StartOptions } from '../../src/supervisor/tree-context.js';
import { SimulatedHost } from '../../src/testing/simulated-host.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import type { SupervisorSpec } from '../../src/core/supervisor-flags.js';

const counter = { init: (a: unknown) => ({ n: (a as { start?: number } | undefined)?.start ?? 0 }), calls: { add: (s: { n: number }, k: number) => (s.n += k), get: (s: { n: number }) => s.n } };

/** A simulated world: modules `sim:a`, `sim:b`, `sim:c` and `sim:s` are counters. */
export function setup() {
  const clock = new VirtualClock();
  const host = new SimulatedHost(clock).define('sim:a', counter).define('sim:b', counter).define('sim:c', counter).define('sim:s', counter);
  const records: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { records.push(JSON.parse(String(chunk))); cb(); } }));
  /** Moves virtual time until `p` settles: simulated starts and stops run on the virtual clock. */
  async function drive<T>(p: Promise<T>): Promise<T> {
    let done = false;
    const watched = p.finally(() => (done = true));
    watched.catch(() => undefined);
    for (let i = 0; i < 1000 && !done; i++) await clock.advance(1);
    return watched;
  }
  const opts: StartOptions = { clock, host, logger };
  return { clock, host, records, logger, drive, opts };
}

export type Env = ReturnType<typeof setup>;

/** A worker child spec whose module is `sim:<id>`. */
export const w = (id: string, extra: object = {}) => ({ type: 'worker' as const, id, module: `sim:${id}`, ...extra });

/** Starts a tree on the simulated host and waits for it to run. */
export async function started(spec: SupervisorSpec, env: Env, options: StartOptions = {}): Promise<Supervisor> {
  const p = startSupervisor(spec, { ...env.opts, ...options });
  await env.clock.advance(0);
  return p;
}

/** Stops the tree, runs every timer, and proves nothing outlived it. */
export async function stopAll(sup: Supervisor, env: Env): Promise<void> {
  const stopping = sup.stop();
  await env.clock.runAll();
  await stopping;
  if (env.host.alive !== 0) throw new Error(`${env.host.alive} simulated actors outlived the tree`);
}
