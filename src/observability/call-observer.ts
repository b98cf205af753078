/**
 * What a call observer sees: one finished call made through a supervised ref (`sup.ref(path).call`).
 * The seam for call latency metrics; set with the `observeCall` start option.
 */

/** One finished call. */
export interface CallObservation {
  /** The supervisor that answered for the ref: the tree's root name (`'root'`). */
  supervisor: string;
  /** The worker's path from the root (`'db'`, `'jobs/w1'`), as the ref names it. */
  path: string;
  /** The method called. */
  method: string;
  /** From the call to its settling, waiting for a restarting child included, in ms (the tree's clock). */
  durationMs: number;
  /**
   * `'ok'` when it resolved; else the code of the threadvisor error it rejected with (`'ERR_CALL_TIMEOUT'`,
   * `'ERR_ACTOR_CRASHED'`, `'ERR_CHILD_UNAVAILABLE'`, `'ERR_UNKNOWN_METHOD'`...), or `'error'`.
   */
  outcome: string;
}

/**
 * Called once per finished call, synchronously, after the call settled and before its caller sees it.
 * One that throws is logged (`listener_error`) and never changes the call's outcome.
 */
export type CallObserver = (call: CallObservation) => void;
