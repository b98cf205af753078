// Shared by the messaging tests: the peer fixture, and a tree whose threads are checked gone after each test.
import { fixture } from '../integration/worker-harness.js';
import { dynamicSupervisor, supervisor, worker, type ChildSpec, type WorkerChildSpec } from '../../src/index.js';

export { next, silent, useTrees } from '../integration/supervisor-harness.js';

/** The URL of the general-purpose messaging actor. */
export const peerModule = fixture('messaging/peer.mjs');

/** A peer worker child. */
export function peer(id: string, extra: Partial<WorkerChildSpec> = {}): ChildSpec {
  return worker({ id, module: peerModule, ...extra });
}

export { dynamicSupervisor, supervisor };

/** What a peer's `call` answers: the reply, or the error as data. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: { name: string; code: string; message: string; reason?: { kind: string; error?: { message: string } }; cycle?: string[]; child?: string; timeoutMs?: number; delivered?: boolean } };
