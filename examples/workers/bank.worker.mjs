// The bank: the balances, rebuilt from the journal at every start, so a crash loses nothing committed.
// A transfer is checked (an expected failure is a value), journaled, then applied.
import { defineWorker } from 'threadvisor/worker';

const OPENING = { alice: 100, bob: 50, carol: 0 };

function apply(balances, { from, to, amount }) {
  balances[from] -= amount;
  balances[to] += amount;
}

export default defineWorker({
  init: async (_args, ctx) => {
    const journal = ctx.ref('journal');
    const balances = { ...OPENING };
    for (const entry of await journal.call('entries')) apply(balances, entry);
    return { balances, journal };
  },
  calls: {
    transfer: async (s, from, to, amount) => {
      if (!(from in s.balances) || !(to in s.balances)) return { ok: false, error: 'no such account' };
      // The bug this example injects: an amount that is not a number corrupts the arithmetic. Crash
      // rather than write NaN into the books; the supervisor restarts a bank rebuilt from the journal.
      if (typeof amount !== 'number') throw new TypeError(`amount must be a number; given ${JSON.stringify(amount)}`);
      if (amount <= 0 || s.balances[from] < amount) return { ok: false, error: 'insufficient funds' };
      await s.journal.call('append', { from, to, amount });
      apply(s.balances, { from, to, amount });
      return { ok: true, balance: s.balances[from] };
    },
    balances: (s) => s.balances,
  },
});
