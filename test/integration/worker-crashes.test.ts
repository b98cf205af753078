// Every way a worker thread can die, each turned into an exit reason; calls in flight fail at once
// (their timeouts are a minute, so a test would time out if anything waited for them). The failing cast
// goes first: a call to 'forever' holds the mailbox, and anything queued behind it never runs.
import { describe, expect, it } from '@jest/globals';
import { ActorCrashedError, ActorStoppedError, CallTimeoutError } from '../../src/index.js';
import type { ExitReason } from '../../src/index.js';
import { fixture, run, useWorkers } from './worker-harness.js';

const start = useWorkers();
const LONG = 60_000;
const counter = (extra: object = {}) =>
  start({ module: fixture('counter.mjs'), args: { start: 1 }, callTimeoutMs: LONG, ...extra });

function errorReason(reason: ExitReason): { name: string; message: string; stack?: string } {
  if (reason.kind !== 'error') throw new Error(`expected an error exit, got ${reason.kind}`);
  return reason.error;
}

describe('a handler that throws crashes its actor', () => {
  it('rejects the call that threw with ActorCrashedError carrying the worker stack', async () => {
    const ref = await counter();
    const error = await ref.call('fail', 'bad input').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorCrashedError);
    const reason = (error as ActorCrashedError).reason;
    expect(errorReason(reason)).toMatchObject({ name: 'TypeError', message: 'bad input' });
    expect(errorReason(reason).stack).toContain('counter.mjs');
    expect((error as Error).cause).toBeInstanceOf(Error);
    await expect(ref.exited).resolves.toEqual(reason);
    expect(ref.alive).toBe(false);
  });

  it('rejects every other call in flight to that incarnation at once', async () => {
    const ref = await counter();
    const crashing = ref.call('failAsync', 'async failure', 20);
    const queued = [ref.call('get'), ref.call('add', 1), ref.withTimeout(LONG).call('echo', 'x')];
    const results = await Promise.allSettled([crashing, ...queued]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as ActorCrashedError;
      expect(error).toBeInstanceOf(ActorCrashedError);
      expect(errorReason(error.reason)).toMatchObject({ name: 'RangeError', message: 'async failure' });
    }
  });

  it('crashes on a cast that throws, failing the calls in flight', async () => {
    const ref = await counter();
    ref.cast('crash', 'cast failure');
    const pending = ref.call('forever');
    await expect(pending).rejects.toBeInstanceOf(ActorCrashedError);
    expect(errorReason(await ref.exited)).toMatchObject({ message: 'cast failure' });
  });

  it('refuses calls and casts to a crashed incarnation at once', async () => {
    const ref = await counter();
    await ref.call('fail', 'gone').catch(() => undefined);
    await expect(ref.call('get')).rejects.toBeInstanceOf(ActorCrashedError);
    expect(() => ref.cast('reset')).toThrow(ActorCrashedError);
  });
});

describe('thread-level failures', () => {
  it('turns an unhandled rejection in the thread into an error exit', async () => {
    const ref = await counter();
    ref.cast('rejectLater', 'nobody caught me');
    const pending = ref.call('forever');
    await expect(pending).rejects.toBeInstanceOf(ActorCrashedError);
    const error = errorReason(await ref.exited);
    expect(error).toMatchObject({ name: 'RangeError', message: 'nobody caught me' });
    expect(error.stack).toContain('counter.mjs');
  });

  it('turns an uncaught error thrown after start (from a timer) into an error exit with its stack', async () => {
    const ref = await counter();
    ref.cast('throwLater', 'thrown from a timer');
    const pending = ref.call('forever');
    await expect(pending).rejects.toBeInstanceOf(ActorCrashedError);
    const error = errorReason(await ref.exited);
    expect(error).toMatchObject({ name: 'TypeError', message: 'thrown from a timer' });
    expect(error.stack).toContain('explode');
  });

  it('reports process.exit(0) in the thread as a normal exit', async () => {
    const ref = await counter();
    ref.cast('exit', 0);
    const failure = ref.call('forever').catch((e: unknown) => e);
    await expect(ref.exited).resolves.toEqual({ kind: 'normal' });
    expect(await failure).toBeInstanceOf(ActorStoppedError);
  });

  it('reports process.exit(code) with a non-zero code as an abnormal exit', async () => {
    const ref = await counter();
    ref.cast('exit', 3);
    const failure = ref.call('forever').catch((e: unknown) => e);
    await expect(ref.exited).resolves.toEqual({ kind: 'exit', code: 3 });
    const error = await failure;
    expect(error).toBeInstanceOf(ActorCrashedError);
    expect((error as ActorCrashedError).reason).toEqual({ kind: 'exit', code: 3 });
  });

  it('reports a thread that exceeds its resourceLimits as oom', async () => {
    const ref = await counter({ resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    ref.cast('oom');
    const failure = ref.call('forever').catch((e: unknown) => e);
    const reason = await ref.exited;
    expect(reason.kind).toBe('oom');
    expect(reason).toMatchObject({ error: { code: 'ERR_WORKER_OUT_OF_MEMORY' } });
    expect(await failure).toBeInstanceOf(ActorCrashedError);
  });

  it('detects a blocked thread by its missing heartbeats, terminates it and reports hung', async () => {
    const ref = await counter({ heartbeatMs: 150 });
    ref.cast('hang');
    const failure = ref.call('forever').catch((e: unknown) => e);
    const reason = await ref.exited;
    expect(reason.kind).toBe('hung');
    expect((reason as { missedMs: number }).missedMs).toBeGreaterThan(150);
    const error = await failure;
    expect(error).toBeInstanceOf(ActorCrashedError);
    expect((error as ActorCrashedError).reason.kind).toBe('hung');
  });

  it('leaves a blocked thread alone when heartbeats are off: only call timeouts notice', async () => {
    const ref = await counter({ heartbeatMs: false });
    ref.cast('hang');
    // Three heartbeat intervals of the hung test above pass before this call gives up.
    await expect(ref.withTimeout(450).call('get')).rejects.toBeInstanceOf(CallTimeoutError);
    expect(ref.alive).toBe(true);
  });

  it('does not call a healthy thread hung when the main thread was the one blocked', async () => {
    const ref = await counter({ heartbeatMs: 200 });
    // Simulates a loaded main thread: several heartbeat intervals pass without it turning its event loop.
    // Blocking inside a timer callback lets the overdue heartbeat timer run before the queued beats are read.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const blockedUntil = performance.now() + 800;
        while (performance.now() < blockedUntil);
        resolve();
      }, 1),
    );
    await expect(ref.call('add', 1)).resolves.toBe(2);
    // A few more intervals of normal running still find it alive.
    await expect(ref.call('slowAdd', 1, 600)).resolves.toBe(3);
    expect(ref.alive).toBe(true);
  });
});

describe('what a thread posted before it died', () => {
  it.each(['answerThenThrow', 'answerThenReject'])('still reaches the caller (%s): the reply, then the crash', async (method) => {
    // A fresh process (see the script): there a death read before the queued reply loses it every time.
    const { stdout } = await run(fixture('reply-then-crash-main.mjs'), [method, 'standalone']);
    expect(JSON.parse(stdout)).toMatchObject({
      reply: 'answered',
      reason: { kind: 'error', error: { message: 'after the reply' } },
      order: ['reply', 'exited'],
    });
  });
});

describe('unhandled rejections, whatever the process mode', () => {
  it.each(['--unhandled-rejections=warn', '--unhandled-rejections=none'])('crash the actor when the thread runs with %s', async (mode) => {
    // --no-warnings keeps the warn mode's warning out of the test output; the mode itself stands.
    const ref = await counter({ execArgv: [mode, '--no-warnings'] });
    await expect(ref.call('execArgv')).resolves.toContain(mode);
    ref.cast('rejectLater', 'nobody caught me');
    await expect(ref.call('forever')).rejects.toBeInstanceOf(ActorCrashedError);
    const error = errorReason(await ref.exited);
    expect(error).toMatchObject({ name: 'RangeError', message: 'nobody caught me' });
    expect(error.stack).toContain('counter.mjs');
  });

  it('crash the actor when the mode comes from NODE_OPTIONS, which threads inherit', async () => {
    const { stdout, stderr } = await run(fixture('unhandled-rejection-main.mjs'), [], {
      NODE_OPTIONS: '--unhandled-rejections=warn --no-warnings',
    });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'error', error: { name: 'RangeError', message: 'nobody caught me' } });
  });

  it('are left to a worker that installed its own listener, as under the default mode', async () => {
    const ref = await counter();
    ref.cast('handleRejections');
    ref.cast('rejectLater', 'handled by the worker');
    await expect(ref.call('handled')).resolves.toBe('handled by the worker');
    expect(ref.alive).toBe(true);
  });
});

describe('calls and casts refused after a crash', () => {
  it('say they were not delivered, rather than that the actor crashed during them', async () => {
    const ref = await counter();
    await ref.call('fail', 'gone').catch(() => undefined);
    const call = (await ref.call('get').catch((e: unknown) => e)) as ActorCrashedError;
    expect(call.message).toBe("call 'get' was not delivered: the actor has crashed, reason: error: TypeError: gone");
    expect(call.delivered).toBe(false);
    let cast: ActorCrashedError | undefined;
    try {
      ref.cast('reset');
    } catch (error) {
      cast = error as ActorCrashedError;
    }
    expect(cast?.message).toBe("cast 'reset' was not delivered: the actor has crashed, reason: error: TypeError: gone");
  });

  it('keep saying a call in flight when the actor crashed was delivered', async () => {
    const ref = await counter();
    const error = (await ref.call('fail', 'bad input').catch((e: unknown) => e)) as ActorCrashedError;
    expect(error.message).toBe("actor crashed during call 'fail': error: TypeError: bad input");
    expect(error.delivered).toBe(true);
  });
});
