// The two failure layers of a worker actor, run for real: expected failures come back as values and the
// actor keeps its state; a bug (a throw) crashes the actor, and every call in flight fails at once with
// ActorCrashedError carrying the worker's own stack. Exits 0 when all of that happened as described.
import assert from 'node:assert/strict';
import { ActorCrashedError, startWorker } from 'threadvisor';

const accounts = await startWorker({
  module: new URL('./workers/accounts.worker.mjs', import.meta.url),
  args: { balances: { alice: 100, bob: 5 } },
});

// Layer 1: expected failures are values. Match on them like any other result.
for (const [who, amount] of [['alice', 30], ['bob', 50], ['carol', 1]]) {
  const result = await accounts.call('withdraw', who, amount);
  if (result.ok) console.log(`${who}: withdrew ${amount}, balance now ${result.balance}`);
  else console.log(`${who}: refused (${result.error})`);
}
// The refusals did not disturb the actor: its state is intact and it keeps serving.
assert.equal(await accounts.call('balance', 'alice'), 70);
assert.equal(await accounts.call('balance', 'bob'), 5);

// Layer 2: a bug crashes the actor. The call that hit it, and the call queued behind it, both reject
// at once (not at their timeout) with the exit reason, which carries the worker's stack.
const [bad, queued] = await Promise.allSettled([
  accounts.call('withdraw', 'alice', -10),
  accounts.call('balance', 'alice'),
]);
assert.ok(bad.status === 'rejected' && bad.reason instanceof ActorCrashedError);
assert.ok(queued.status === 'rejected' && queued.reason instanceof ActorCrashedError);
console.log(`crashed: ${bad.reason.message}`);
console.log(`worker stack: ${bad.reason.reason.error.stack.split('\n')[1].trim()}`);

const reason = await accounts.exited;
assert.equal(reason.kind, 'error');
console.log(`exit reason: ${reason.kind} (a supervisor would now restart it from init)`);
