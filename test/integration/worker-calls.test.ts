// Calls and casts against real worker threads: replies, ordering, timeouts, and the caller-side errors
// that leave the actor running.
import { describe, expect, it } from '@jest/globals';
import {
  CallTimeoutError, DataCloneError, InvalidSpecError, UnknownMethodError,
} from '../../src/index.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { fixture, useWorkers } from './worker-harness.js';

const start = useWorkers();
const counter = () => start({ module: fixture('counter.mjs'), args: { start: 1 } });

describe('calls and casts', () => {
  it('answers a call with the return value of its handler', async () => {
    const ref = await counter();
    await expect(ref.call('add', 2)).resolves.toBe(3);
    await expect(ref.call('get')).resolves.toBe(3);
  });

  it('runs handlers one message at a time, so an async handler holds back later messages', async () => {
    const ref = await counter();
    const slow = ref.call('slowAdd', 10, 30);
    const after = ref.call('get');
    ref.cast('reset');
    const last = ref.call('get');
    await expect(Promise.all([slow, after, last])).resolves.toEqual([11, 11, 0]);
  });

  it('keeps many pipelined calls apart by id', async () => {
    const ref = await counter();
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => ref.call('echo', i)));
    expect(replies).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('applies a cast before later calls, and a cast gets no reply', async () => {
    const ref = await counter();
    expect(ref.cast('reset')).toBeUndefined();
    await expect(ref.call('get')).resolves.toBe(0);
  });

  it('returns expected failures as values, leaving the actor running', async () => {
    const ref = await counter();
    await expect(ref.call('divide', 1, 0)).resolves.toEqual({ ok: false, error: 'division by zero' });
    await expect(ref.call('divide', 6, 3)).resolves.toEqual({ ok: true, value: 2 });
    expect(ref.alive).toBe(true);
  });
});

describe('call timeouts', () => {
  it('rejects a call with CallTimeoutError after a per-call timeout, and the actor keeps running', async () => {
    const records: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { records.push(JSON.parse(String(chunk))); done(); } }));
    const ref = await start({ module: fixture('counter.mjs'), args: { start: 1 }, logger });
    const error = await ref.withTimeout(50).call('slowAdd', 1, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ code: 'ERR_CALL_TIMEOUT', method: 'slowAdd', timeoutMs: 50 });
    // The handler still ran; its late reply (which comes before this one) was dropped, and said so.
    await expect(ref.call('get')).resolves.toBe(2);
    expect(records).toEqual([expect.objectContaining({ level: 40, context: 'late_reply', msg: 'dropped a reply that arrived after its call timed out' })]);
  });

  it('uses the callTimeoutMs option as the default timeout', async () => {
    const ref = await start({ module: fixture('counter.mjs'), callTimeoutMs: 50 });
    await expect(ref.call('forever')).rejects.toBeInstanceOf(CallTimeoutError);
  });

  it('times out calls with different timeouts independently', async () => {
    const ref = await counter();
    const long = ref.withTimeout(60_000).call('slowAdd', 1, 100);
    const short = ref.withTimeout(20).call('get');
    await expect(short).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(long).resolves.toBe(2);
  });

  it('refuses a timeout that is not a positive number', async () => {
    const ref = await counter();
    expect(() => ref.withTimeout(0)).toThrow(InvalidSpecError);
  });
});

describe('caller-side errors leave the actor untouched', () => {
  it('rejects a call to an unknown method with UnknownMethodError listing the known ones', async () => {
    const ref = await counter();
    const error = await ref.call('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownMethodError);
    expect(error).toMatchObject({ code: 'ERR_UNKNOWN_METHOD', method: 'nope' });
    expect((error as Error).message).toContain('add');
    await expect(ref.call('get')).resolves.toBe(1);
  });

  it('throws UnknownMethodError for a cast to an unknown method', async () => {
    const ref = await counter();
    expect(() => ref.cast('nope')).toThrow(UnknownMethodError);
    // A call name is not a cast name.
    expect(() => ref.cast('get')).toThrow(UnknownMethodError);
    await expect(ref.call('get')).resolves.toBe(1);
  });

  it('rejects a call whose arguments cannot be cloned with DataCloneError', async () => {
    const ref = await counter();
    const error = await ref.call('echo', () => 'a function').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toMatchObject({ code: 'ERR_DATA_CLONE' });
    expect((error as Error).cause).toBeDefined();
    await expect(ref.call('add', 1)).resolves.toBe(2);
  });

  it('throws DataCloneError for a cast whose arguments cannot be cloned', async () => {
    const ref = await counter();
    expect(() => ref.cast('reset', Symbol('not cloneable'))).toThrow(DataCloneError);
    await expect(ref.call('get')).resolves.toBe(1);
  });

  it('rejects a call whose reply cannot be cloned with DataCloneError, and the actor keeps its state', async () => {
    const ref = await counter();
    await ref.call('add', 4);
    const error = await ref.call('badReply').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataCloneError);
    expect((error as Error).message).toContain("reply of call 'badReply'");
    await expect(ref.call('get')).resolves.toBe(5);
  });
});
