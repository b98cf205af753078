/**
 * Watches a thread's heartbeats and calls `onHung` once the thread has been silent for more than 1.5
 * intervals. The thread beats every half interval and the monitor checks every half interval, so a
 * thread that blocks is caught within two intervals of its last beat.
 *
 * The main thread being late must never make a healthy thread look hung: when a check runs late, beats
 * may be sitting unread in the queue. So a check only counts when its timer fired on time and it then ran
 * promptly (after a `setImmediate`, which lets queued messages in first); otherwise the silence is
 * measured afresh from now.
 */
export class HeartbeatMonitor {
  readonly #intervalMs: number;
  readonly #onHung: (silentMs: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #lastTickAt = 0;
  #lastBeatAt = 0;
  #baseline = 0;

  /**
   * @param intervalMs The heartbeat interval the thread was started with.
   * @param onHung Called once, with how long the thread has been silent.
   */
  constructor(intervalMs: number, onHung: (silentMs: number) => void) {
    this.#intervalMs = intervalMs;
    this.#onHung = onHung;
  }

  /** Starts watching; the silence is measured from now. */
  start(): void {
    const now = performance.now();
    this.#lastTickAt = now;
    this.#lastBeatAt = now;
    this.#baseline = now;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs / 2);
    // The thread itself keeps the process alive; the watch over it must not.
    this.#timer.unref();
  }

  /** Records a beat from the thread. */
  beat(): void {
    this.#lastBeatAt = performance.now();
  }

  /** Stops watching (the thread ended, or its shutdown timeout took over). */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = performance.now();
    const late = now - this.#lastTickAt > this.#intervalMs * 0.75;
    this.#lastTickAt = now;
    if (late) {
      this.#baseline = now;
      return;
    }
    setImmediate(() => this.#check(now));
  }

  #check(tickAt: number): void {
    if (this.#timer === undefined) return;
    const now = performance.now();
    if (now - tickAt > this.#intervalMs / 4) {
      this.#baseline = now;
      return;
    }
    const silentMs = now - Math.max(this.#lastBeatAt, this.#baseline);
    if (silentMs > this.#intervalMs * 1.5) {
      this.stop();
      this.#onHung(silentMs);
    }
  }
}
