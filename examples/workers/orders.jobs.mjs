// The job handlers of examples/queue-consumer.mjs: one order message per job, no state between jobs.
import { defineJobHandler } from 'threadvisor/worker';

export default defineJobHandler({
  handlers: {
    process: (ctx, message) => {
      // An expected failure of one message: its job fails alone, the thread keeps serving.
      if (message.total < 0) throw new RangeError(`order ${message.id}: negative total ${message.total}`);
      // A poison message: a native parser bug, say, that takes the whole thread down with it.
      if (message.kind === 'corrupt') process.exit(70);
      return { id: message.id, charged: message.total, delivery: ctx.job.delivery };
    },
  },
});
