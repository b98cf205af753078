/** Which adapter starts which kind of child: the one place the shell looks at a spec's type to start it. */
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { ChildStart, ChildStarter, StartContext } from './live-child.js';
import { serializeError } from '../protocol/serialized-error.js';
import { startWorkerChild } from './worker-child.js';
import { startSupervisorChild } from './supervisor-child.js';
import { startPoolChild } from './pool-child.js';

type Starters = { [K in NormalizedChildSpec['type']]: ChildStarter<Extract<NormalizedChildSpec, { type: K }>> };

const STARTERS: Starters = {
  // A pool is a worker to the core (OTP's child type); its spec's `pool` field picks its adapter.
  worker: (spec, context) => (spec.pool === undefined ? startWorkerChild(spec, context) : startPoolChild({ ...spec, pool: spec.pool }, context)),
  supervisor: startSupervisorChild,
};

/**
 * Starts any child through its kind's adapter; never rejects. An adapter that throws or rejects anyway
 * (a bug in it, or in what it calls) is turned into a failed start here, once for every kind: otherwise
 * the core would wait for a start result that never comes, and the error would surface only as an
 * unhandled rejection.
 */
export function startLiveChild(spec: NormalizedChildSpec, context: StartContext): Promise<ChildStart> {
  const failed = (error: unknown): ChildStart => ({ status: 'failed', error: serializeError(error) });
  try {
    return (STARTERS[spec.type] as ChildStarter<NormalizedChildSpec>)(spec, context).catch(failed);
  } catch (error) {
    return Promise.resolve(failed(error));
  }
}
