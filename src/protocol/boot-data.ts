import type { MessagePort } from 'node:worker_threads';

/**
 * What the host hands a new thread in `workerData`. The thread's entry is the user's worker module, so
 * this key is how `defineWorker` tells "a thread threadvisor started" from any other thread (or the main
 * thread) that merely imports the module.
 */
export const BOOT_KEY = '__threadvisor__';

/**
 * The protocol revision; the runtime refuses a host speaking another one. 2: the protocol runs on a
 * port of its own ({@link BootData.port}) and `OP_INIT` carries the actor's identity.
 */
export const PROTOCOL_VERSION = 2;

/** The boot data stored under {@link BOOT_KEY} in `workerData`. */
export interface BootData {
  /** {@link PROTOCOL_VERSION} of the host that started the thread. */
  protocol: number;
  /** The worker module's URL (`file:`), as the thread was started with it. */
  module: string;
  /** Heartbeat period of the thread (ms), or `false` for none. The thread beats twice per interval. */
  heartbeatMs: number | false;
  /**
   * The thread's end of the protocol channel. Not `parentPort`: Node reports a thread's death on another
   * channel than `parentPort`'s messages, so the death can overtake replies posted before it
   * (nodejs/node#59617). On a port of its own, the host can drain what is queued
   * (`receiveMessageOnPort`) before it settles a death, so nothing posted before it is lost. Absent only
   * from a host older than protocol 2, which listens on `parentPort`: the thread tells it the versions differ.
   */
  port?: MessagePort;
}

/** Reads the boot data from a thread's `workerData`, or `undefined` when threadvisor did not start it. */
export function readBootData(workerData: unknown): BootData | undefined {
  if (typeof workerData !== 'object' || workerData === null) return undefined;
  const boot = (workerData as Record<string, unknown>)[BOOT_KEY];
  if (typeof boot !== 'object' || boot === null) return undefined;
  const b = boot as Partial<BootData>;
  if (typeof b.module !== 'string' || typeof b.protocol !== 'number') return undefined;
  const read: BootData = { protocol: b.protocol, module: b.module, heartbeatMs: typeof b.heartbeatMs === 'number' ? b.heartbeatMs : false };
  if (isPort(b.port)) read.port = b.port;
  return read;
}

function isPort(value: unknown): value is MessagePort {
  return typeof value === 'object' && value !== null && typeof (value as MessagePort).postMessage === 'function';
}
