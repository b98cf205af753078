// The bank's journal: an append-only list of committed transfers, in an actor of its own so that it
// outlives the bank's crashes (in production this would be a database; the shape is the same).
import { defineWorker } from 'threadvisor/worker';

export default defineWorker({
  init: () => ({ entries: [] }),
  calls: {
    append: (s, entry) => s.entries.push(entry),
    entries: (s) => s.entries,
  },
});
