/**
 * What the host hands a new thread in `workerData`. The thread's entry is the user's worker module, so
 * this key is how `defineWorker` tells "a thread threadvisor started" from any other thread (or the main
 * thread) that merely imports the module.
 */
export const BOOT_KEY = '__threadvisor__';

/** The protocol revision; the runtime refuses a host speaking another one. */
export const PROTOCOL_VERSION = 1;

/** The boot data stored under {@link BOOT_KEY} in `workerData`. */
export interface BootData {
  /** {@link PROTOCOL_VERSION} of the host that started the thread. */
  protocol: number;
  /** The worker module's URL (`file:`), as the thread was started with it. */
  module: string;
  /** Heartbeat period of the thread (ms), or `false` for none. The thread beats twice per interval. */
  heartbeatMs: number | false;
}

/** Reads the boot data from a thread's `workerData`, or `undefined` when threadvisor did not start it. */
export function readBootData(workerData: unknown): BootData | undefined {
  if (typeof workerData !== 'object' || workerData === null) return undefined;
  const boot = (workerData as Record<string, unknown>)[BOOT_KEY];
  if (typeof boot !== 'object' || boot === null) return undefined;
  const b = boot as Partial<BootData>;
  if (typeof b.module !== 'string' || typeof b.protocol !== 'number') return undefined;
  return { protocol: b.protocol, module: b.module, heartbeatMs: typeof b.heartbeatMs === 'number' ? b.heartbeatMs : false };
}
