// A teller: takes payments and asks the bank (by its registered name) to make them. A bank that crashes
// with the payment in flight is the teller's expected failure: it says so, and the caller may retry.
import { ActorCrashedError, ChildUnavailableError, defineWorker } from 'threadvisor/worker';

export default defineWorker({
  init: (_args, ctx) => ({ bank: ctx.ref('bank').withTimeout(2000) }),
  calls: {
    pay: async (s, from, to, amount) => {
      try {
        return await s.bank.call('transfer', from, to, amount);
      } catch (error) {
        if (error instanceof ActorCrashedError) return { ok: false, error: 'the bank crashed during the payment', crashed: true };
        if (error instanceof ChildUnavailableError) return { ok: false, error: 'the bank is unavailable' };
        throw error;
      }
    },
  },
});
