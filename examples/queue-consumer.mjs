// A queue consumer on a supervised pool, fed a batch with poison in it: ordinary messages are processed,
// a message whose handler throws fails alone (its thread keeps serving), and a message that kills its
// thread is redelivered alone on fresh threads, then set aside in the dead-letter list with each attempt's
// exit reason, while the pool keeps consuming and never escalates. Exits 0 when all of that happened.
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { DeadLetteredError, JobFailedError, pool, startSupervisor } from 'threadvisor';

// The consumer's own log would show every thread death with its stack; the example prints a summary instead.
const tree = await startSupervisor(
  { children: [pool({ id: 'orders', module: new URL('./workers/orders.jobs.mjs', import.meta.url), threads: 2, maxDeliveries: 3 })] },
  { logger: pino({ level: 'silent' }) },
);
const orders = tree.pool('orders');

// The "queue": 20 messages, one of which is poison and one of which is invalid.
const queue = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, total: 10 * (i + 1), kind: 'order' }));
queue[6] = { id: 7, total: 70, kind: 'corrupt' };
queue[12] = { id: 13, total: -5, kind: 'order' };

// Consume every message at once: acknowledge what succeeded, report the rest.
const outcomes = await Promise.allSettled(queue.map((message) => orders.run('process', message)));
const acked = [];
for (const [i, outcome] of outcomes.entries()) {
  if (outcome.status === 'fulfilled') acked.push(outcome.value.id);
  else if (outcome.reason instanceof JobFailedError) console.log(`rejected message ${queue[i].id}: ${outcome.reason.error.message}`);
  else if (outcome.reason instanceof DeadLetteredError) console.log(`dead-lettered message ${queue[i].id}: ${outcome.reason.message}`);
  else throw outcome.reason;
}
console.log(`acknowledged ${acked.length} messages`);

// The dead-letter list: the poison message with its history, to inspect, fix and replay.
const [letter, ...others] = orders.deadLetters.drain();
assert.equal(others.length, 0);
assert.deepEqual(letter.job.args, [{ id: 7, total: 70, kind: 'corrupt' }]);
assert.equal(letter.attempts.length, 3);
for (const attempt of letter.attempts) {
  console.log(`  delivery ${attempt.delivery} on thread ${attempt.threadId}: exit(${attempt.reason.code})`);
  assert.deepEqual(attempt.reason, { kind: 'exit', code: 70 });
}
assert.equal(new Set(letter.attempts.map((a) => a.threadId)).size, 3);

// Every other message was processed; the invalid one failed alone.
assert.equal(acked.length, 18);
assert.ok(!acked.includes(7) && !acked.includes(13));
// Innocent messages that shared a thread with the poison one were sent again, alone, and succeeded.
const stats = orders.stats();
assert.equal(stats.resolved, 18);
assert.equal(stats.failed, 1);
assert.equal(stats.deadLettered, 1);
console.log(`redeliveries: ${stats.redelivered}, thread deaths: ${stats.threadDeaths}`);
// The poison never escalated: the pool was not restarted, and it still consumes.
assert.equal(tree.tree().children[0].restartCount, 0);
assert.deepEqual(await orders.run('process', { id: 21, total: 1, kind: 'order' }), { id: 21, charged: 1, delivery: 1 });
await tree.stop();
console.log('queue consumer: done');
