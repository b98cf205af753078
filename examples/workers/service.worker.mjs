// A small service actor for the demo: it counts requests and can be told to crash, the way a bug would.
import { defineWorker } from 'threadvisor/worker';

export default defineWorker({
  init: (args) => ({ name: args.name, served: 0 }),
  calls: {
    serve: (s, what) => {
      s.served += 1;
      return `${s.name} served ${what} (#${s.served})`;
    },
  },
  casts: {
    // A broken invariant: the actor's state is suspect, so it crashes and its supervisor restarts it.
    corrupt: (s) => {
      throw new Error(`${s.name}: invariant broken (served=${s.served})`);
    },
  },
});
