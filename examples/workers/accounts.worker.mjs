// A bank-account actor for examples/expected-failures.mjs. Refused withdrawals and unknown accounts are
// expected outcomes, so they come back as values; a negative amount is a caller bug that the handler
// treats as a broken invariant, so it throws and the actor crashes.
import { defineWorker } from 'threadvisor/worker';

export default defineWorker({
  init: (args) => ({ balances: new Map(Object.entries(args.balances)) }),
  calls: {
    withdraw: (s, account, amount) => {
      if (!(amount > 0)) throw new RangeError(`withdraw: amount must be positive, got ${amount}`);
      const balance = s.balances.get(account);
      if (balance === undefined) return { ok: false, error: 'no_such_account' };
      if (balance < amount) return { ok: false, error: 'insufficient_funds', balance };
      s.balances.set(account, balance - amount);
      return { ok: true, balance: balance - amount };
    },
    balance: (s, account) => s.balances.get(account) ?? null,
  },
});
