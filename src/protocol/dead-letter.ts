/**
 * A dead letter: a pool job set aside after its deliveries kept killing the threads that ran it. Plain
 * data (structured-cloneable, JSON-friendly but for `args`), so a store can persist it as it is.
 */
import type { ExitReason } from './exit-reason.js';

/** One delivery of a job that ended with the death of its thread. */
export interface JobAttempt {
  /** Which delivery this was (1 for the first). */
  delivery: number;
  /** The thread that ran it and died. */
  threadId: number;
  /** When the delivery was sent to the thread (`Date.now()` ms). */
  startedAt: number;
  /** When the thread's death was seen (`Date.now()` ms). */
  endedAt: number;
  /** How the thread died, with the error and its stack when there was one. */
  reason: ExitReason;
}

/** A job given up on, with its history. */
export interface DeadLetter {
  /** The job as it was submitted: its id in the pool, its handler's name and its arguments as sent. */
  job: { id: number; handler: string; args: readonly unknown[] };
  /** Every delivery that ended in its thread's death, oldest first. */
  attempts: JobAttempt[];
  /** When it was dead-lettered (`Date.now()` ms). */
  deadLetteredAt: number;
}
