// The auditor: monitors the bank and keeps every down notice, as an operations dashboard would; after
// each notice it watches the bank again (a monitor watches one incarnation).
import { defineWorker } from 'threadvisor/worker';

export default defineWorker({
  init: (_args, ctx) => ({ ctx, monitor: ctx.monitor('bank'), downs: [] }),
  calls: {
    downs: (s) => s.downs,
    watch: (s) => {
      s.monitor = s.ctx.monitor('bank');
    },
  },
  info: (s, down) => {
    s.downs.push({ path: down.path, incarnation: down.incarnation, reason: down.reason.kind });
  },
});
