// Faults a review found after the first merges: uncloneable args refused before any thread starts,
// `self` refused by startWorker (a caller cannot forge an actor's identity), and messages that are not
// threadvisor's on the protocol port dropped with a warning instead of silently.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { InvalidSpecError, startSupervisor, startWorker, worker, dynamicSupervisor } from '../../src/index.js';
import { fixture, threadsAlive, useWorkers } from './worker-harness.js';

const silent = pino({ level: 'silent' });

async function refusal(p: Promise<unknown>): Promise<InvalidSpecError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidSpecError);
  return error as InvalidSpecError;
}

describe('arguments that cannot cross to a thread', () => {
  it('are refused by startWorker before any thread starts', async () => {
    const error = await refusal(startWorker({ module: fixture('counter.mjs'), args: { f() {} }, logger: silent }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'args', message: expect.stringMatching(/^expected structured-cloneable data .*; given/) })]);
    expect(await threadsAlive()).toBe(0);
  });

  it('are refused in a child spec at their full path, before any sibling starts', async () => {
    const error = await refusal(startSupervisor({
      children: [worker({ id: 'a', module: fixture('counter.mjs') }), worker({ id: 'b', module: fixture('counter.mjs'), args: { s: Symbol('x') } })],
    }, { logger: silent }));
    expect(error.issues.map((i) => i.path)).toEqual(['children.1.args']);
    expect(await threadsAlive()).toBe(0);
  });

  it("are refused by a dynamic supervisor's startChild without using up an id", async () => {
    const sup = await startSupervisor({ children: [dynamicSupervisor({ id: 'pool', template: { module: fixture('counter.mjs') } })] }, { logger: silent });
    try {
      const pool = sup.dynamicSupervisor('pool');
      const error = await refusal(pool.startChild({ f() {} }));
      expect(error.issues.map((i) => i.path)).toEqual(['args']);
      await expect(pool.startChild({ start: 1 })).resolves.toBe('child-1');
    } finally {
      await sup.stop();
    }
    expect(await threadsAlive()).toBe(0);
  });
});

describe('the protocol belongs to threadvisor', () => {
  const start = useWorkers();

  it("startWorker refuses 'self': an identity is a supervisor's to give", async () => {
    const error = await refusal(startWorker({ module: fixture('counter.mjs'), logger: silent, ...({ self: { path: 'root/payments', incarnation: 42 } } as object) }));
    expect(error.issues[0]?.message).toMatch(/^expected only the keys module, .*callTimeoutMs; given unknown key 'self'/);
    expect(await threadsAlive()).toBe(0);
  });

  it('a message on the protocol port that is not threadvisor\'s is dropped with a warning, and the actor keeps serving', async () => {
    const records: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _e, cb) { records.push(JSON.parse(String(chunk))); cb(); } }));
    const ref = await start({ module: fixture('forges-protocol.mjs'), logger });
    await expect(ref.call('forge', ['garbage'])).resolves.toBe('posted');
    await expect(ref.call('forge', [99, 1, 2])).resolves.toBe('posted');
    await expect(ref.call('forge', { x: 1 })).resolves.toBe('posted');
    await expect(ref.call('ping')).resolves.toBe('pong');
    const warnings = records.filter((r) => r.context === 'foreign_message');
    expect(warnings.map((r) => r.shape)).toEqual(['an array starting with string', 'an array starting with unknown opcode 99', 'object']);
  });
});
