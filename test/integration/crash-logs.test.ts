// Crash logs a person can use (issue 9.5): the crash record names the thread that crashed, a restart is
// logged after the crash that caused it, and a crash deep in user code keeps the user's frames.
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { ActorCrashedError, StartError, startSupervisor, worker } from '../../src/index.js';
import type { Supervisor, SupervisorSpec } from '../../src/index.js';
import { next } from './supervisor-harness.js';
import { fixture, run, threadsAlive, useWorkers } from './worker-harness.js';

const start = useWorkers();

type LogRecord = { level: number; msg: string; context?: string; offender?: { id: string; threadId?: number }; reason?: string; restartCount?: number; after?: string; err?: { stack?: string } };

/** A tree whose pino records (info and up) are collected as parsed objects. */
async function loggedTree(spec: SupervisorSpec): Promise<{ sup: Supervisor; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) });
  return { sup: await startSupervisor(spec, { logger }), records };
}

describe('the crash record', () => {
  it('names the thread of the incarnation that crashed, and the restart is logged after it at info', async () => {
    const { sup, records } = await loggedTree({ strategy: 'one_for_one', children: [worker({ id: 'counter', module: fixture('counter.mjs') })] });
    try {
      const ref = sup.ref('counter');
      const crashed = (await ref.call('threadId')) as number;
      const restarted = next(sup, 'child:restarted');
      await expect(ref.call('fail', 'boom')).rejects.toBeInstanceOf(ActorCrashedError);
      const { threadId: fresh } = await restarted;
      expect(fresh).not.toBe(crashed);

      const crash = records.findIndex((r) => r.context === 'child_terminated');
      expect(records[crash]).toMatchObject({ level: 50, msg: 'child counter crashed', reason: 'error: TypeError: boom', offender: { id: 'counter', threadId: crashed } });
      expect(records[crash]?.err?.stack).toContain('counter.mjs');
      const restart = records.findIndex((r) => r.msg.startsWith('restarted counter'));
      expect(restart).toBeGreaterThan(crash);
      expect(records[restart]).toMatchObject({
        level: 30, context: 'progress', msg: 'restarted counter (restart 1, after error: TypeError: boom)',
        restartCount: 1, after: 'error: TypeError: boom', offender: { id: 'counter', threadId: fresh },
      });
    } finally {
      await sup.stop();
    }
    expect(await threadsAlive()).toBe(0);
  });

  it('names, for a sibling restarted with the child that crashed, the child that caused it', async () => {
    const { sup, records } = await loggedTree({
      strategy: 'one_for_all',
      children: [worker({ id: 'a', module: fixture('counter.mjs') }), worker({ id: 'b', module: fixture('counter.mjs') })],
    });
    try {
      const restarted = next(sup, 'child:restarted', (e) => e.id === 'b');
      await expect(sup.ref('a').call('fail', 'boom')).rejects.toBeInstanceOf(ActorCrashedError);
      await restarted;
      expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining([
        'restarted a (restart 1, after error: TypeError: boom)',
        'restarted b (restart 1, after a: error: TypeError: boom)',
      ]));
    } finally {
      await sup.stop();
    }
    expect(await threadsAlive()).toBe(0);
  });

  it('names the thread a failed start ran in', async () => {
    const records: LogRecord[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) });
    const error = await startSupervisor({ children: [worker({ id: 'bad', module: fixture('counter.mjs'), args: { failInit: 'no' } })] }, { logger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    const failed = records.find((r) => r.context === 'start_error');
    expect(failed).toMatchObject({ level: 50, offender: { id: 'bad' } });
    expect(typeof failed?.offender?.threadId).toBe('number');
    expect(await threadsAlive()).toBe(0);
  });
});

describe("a crash deep in the worker's own code", () => {
  it('keeps all 15 of its frames and the handler that started them (Node keeps 10 by default)', async () => {
    const ref = await start({ module: fixture('deep-stack.mjs') });
    const error = await ref.call('deep').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorCrashedError);
    const reason = (error as ActorCrashedError).reason;
    const stack = reason.kind === 'error' ? reason.error.stack ?? '' : '';
    expect(stack.match(/\n\s+at descend \(/g)).toHaveLength(15);
    expect(stack).toMatch(/\n\s+at deep \(.*deep-stack\.mjs:\d+:\d+\)/);
  });

  it('raises the thread stack trace limit to 50, unless the module chose its own', async () => {
    const ref = await start({ module: fixture('deep-stack.mjs') });
    await expect(ref.call('stackTraceLimit')).resolves.toBe(50);
    const own = await start({ module: fixture('deep-stack.mjs'), env: { ...process.env, OWN_STACK_TRACE_LIMIT: '7' } });
    await expect(own.call('stackTraceLimit')).resolves.toBe(7);
  });

  it('keeps a --stack-trace-limit the process was given', async () => {
    const { stdout } = await run(fixture('stack-limit-main.mjs'), [], { NODE_OPTIONS: '--stack-trace-limit=12' });
    expect(JSON.parse(stdout.trim())).toEqual({ main: 12, thread: 12 });
  });
});
