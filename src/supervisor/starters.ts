/** Which adapter starts which kind of child: the one place the shell looks at a spec's type to start it. */
import type { NormalizedChildSpec } from '../core/child-spec.js';
import type { ChildStart, ChildStarter, StartContext } from './live-child.js';
import { startWorkerChild } from './worker-child.js';
import { startSupervisorChild } from './supervisor-child.js';

type Starters = { [K in NormalizedChildSpec['type']]: ChildStarter<Extract<NormalizedChildSpec, { type: K }>> };

const STARTERS: Starters = {
  worker: startWorkerChild,
  supervisor: startSupervisorChild,
};

/** Starts any child through its kind's adapter; never rejects. */
export function startLiveChild(spec: NormalizedChildSpec, context: StartContext): Promise<ChildStart> {
  return (STARTERS[spec.type] as ChildStarter<NormalizedChildSpec>)(spec, context);
}
