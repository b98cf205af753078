// Load generators for the pool rows: a closed loop (a fixed number in flight) and an open loop (a fixed
// arrival rate). `submit()` starts one job and returns its promise.

/** Runs `count` jobs keeping `inFlight` outstanding: each completion submits the next one. */
export function closedLoop(count, inFlight, submit) {
  return new Promise((resolve, reject) => {
    let submitted = 0;
    let completed = 0;
    const onDone = () => {
      completed += 1;
      if (completed === count) resolve();
      else if (submitted < count) launch();
    };
    const launch = () => {
      submitted += 1;
      submit().then(onDone, reject);
    };
    for (let i = 0; i < Math.min(inFlight, count); i++) launch();
  });
}

/**
 * Submits `count` jobs at a fixed arrival rate (jobs/s) whatever the pool's progress (open loop), and
 * returns each job's latency in ms from the moment it was due, so a pool that falls behind (or a timer
 * that fires late because the main thread is busy) is charged for the wait: no coordinated omission.
 * Arrivals are released by 1 ms timers, in small bursts, as requests reach a Node server per I/O turn.
 */
export function openLoop(rate, count, submit) {
  const latencies = new Float64Array(count);
  const interval = 1000 / rate;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    let due = 0;
    let completed = 0;
    const tick = () => {
      const now = performance.now();
      while (due < count && start + due * interval <= now) {
        const i = due++;
        const dueAt = start + i * interval;
        submit().then(() => {
          latencies[i] = performance.now() - dueAt;
          completed += 1;
          if (completed === count) resolve(latencies);
        }, reject);
      }
      if (due < count) setTimeout(tick, 1);
    };
    tick();
  });
}
