/**
 * Which exit code a daemon ends with, as one pure function of how it ended. The codes are chosen for the
 * supervisors that read them (systemd, Kubernetes, a shell): 0 only for an orderly end; the BSD
 * `sysexits.h` numbers (64-78) for the failures they name, so a code is never mistaken for one Node or
 * a shell produces itself (1 aside: see {@link EXIT_CODES}); 124 for an overrun deadline, as `timeout(1)`;
 * 128+N for a forced exit on signal N, as a shell reports a process that signal ended. Never 2 (a shell's
 * "misuse of a builtin") nor 126-127 (a shell's "cannot execute" and "not found").
 */
import { isNormalExit, type ExitReason } from '../protocol/exit-reason.js';

/** Every code `run()` and the `threadvisor` CLI exit with (docs/operations.md lists them). */
export const EXIT_CODES = {
  /** The tree stopped in order after SIGTERM or SIGINT, or ended normally by itself (auto-shutdown, a `stop()` of yours). */
  ok: 0,
  /**
   * The tree did not start (an invalid spec, a child whose start failed). 1 is also what Node exits with
   * when a program throws before `run()` is reached: either way, the daemon never ran.
   */
  startFailed: 1,
  /** CLI only: bad arguments (sysexits' EX_USAGE). Restarting will not help. */
  usage: 64,
  /** CLI only: the tree module could not be loaded or exports no spec (EX_NOINPUT). Restarting will not help. */
  noInput: 66,
  /**
   * A service is unavailable (EX_UNAVAILABLE): for `run()`, the root supervisor gave up (`max_intensity`)
   * or exited abnormally without being asked to stop; for CLI `tree`, the health server cannot be reached
   * or answered with an HTTP error.
   */
  escalated: 69,
  /** An uncaught exception or unhandled rejection in the main thread; the tree was stopped first (EX_SOFTWARE). */
  fatal: 70,
  /** CLI `tree` only: the server's answer is not a tree snapshot (EX_PROTOCOL). */
  protocol: 76,
  /** The orderly shutdown overran `shutdownTimeoutMs`; what remained was killed (as `timeout(1)`). */
  deadline: 124,
  /** A second signal during shutdown forced the exit at once: 128 + the signal's number (130 SIGINT, 143 SIGTERM). */
  forcedBase: 128,
} as const;

/** The signals a daemon handles. */
export type DaemonSignal = 'SIGINT' | 'SIGTERM';

/** POSIX numbers of the handled signals (the same on Linux and macOS), kept here so the function stays pure. */
const SIGNAL_NUMBERS: Record<DaemonSignal, number> = { SIGINT: 2, SIGTERM: 15 };

/** How a daemon's run ended: the input of {@link exitCodeFor}. */
export type DaemonEnd =
  /** The tree could not start. */
  | { kind: 'start_failed' }
  /** A signal asked for the shutdown, and it ended; `deadlineExceeded` when what remained had to be killed. */
  | { kind: 'stopped'; deadlineExceeded: boolean }
  /** The root exited on its own, no stop asked by `run()`: its reason. */
  | { kind: 'exited'; reason: ExitReason }
  /** An uncaught exception or unhandled rejection in the main thread; the shutdown it started ended. */
  | { kind: 'fatal'; deadlineExceeded: boolean }
  /** A second signal arrived while shutting down. */
  | { kind: 'forced'; signal: DaemonSignal };

/**
 * The exit code of a daemon that ended as `end`. A fatal error outranks an overrun deadline (the cause
 * matters more than what it left behind); a root exit is judged by its reason alone (normal: 0).
 *
 * @example
 * exitCodeFor({ kind: 'stopped', deadlineExceeded: false })          // 0
 * exitCodeFor({ kind: 'exited', reason: { kind: 'max_intensity', supervisor: 'root', maxRestarts: 3, periodMs: 5000 } }) // 69
 * exitCodeFor({ kind: 'forced', signal: 'SIGTERM' })                   // 143
 */
export function exitCodeFor(end: DaemonEnd): number {
  switch (end.kind) {
    case 'start_failed':
      return EXIT_CODES.startFailed;
    case 'stopped':
      return end.deadlineExceeded ? EXIT_CODES.deadline : EXIT_CODES.ok;
    case 'exited':
      return isNormalExit(end.reason) ? EXIT_CODES.ok : EXIT_CODES.escalated;
    case 'fatal':
      return EXIT_CODES.fatal;
    case 'forced':
      return EXIT_CODES.forcedBase + SIGNAL_NUMBERS[end.signal];
  }
}
