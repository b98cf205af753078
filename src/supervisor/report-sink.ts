/**
 * Hands every report of a tree to its consumers, in order. The supervisor knows only the sink: logging,
 * events, counters and whatever a user adds are consumers, so a new one plugs in without touching it.
 */
import type { Logger } from 'pino';
import type { DeliveredReport, ReportConsumer } from '../observability/delivered-report.js';
import { contain } from '../observability/contain.js';

/** A tree's list of report consumers; one that throws is logged and the others still get the report. */
export class ReportSink {
  readonly #consumers: readonly ReportConsumer[];
  readonly #logger: Logger;

  constructor(consumers: readonly ReportConsumer[], logger: Logger) {
    this.#consumers = consumers;
    this.#logger = logger;
  }

  /** Delivers one report to every consumer, synchronously, in registration order. */
  deliver(delivered: DeliveredReport): void {
    for (const consume of this.#consumers) contain(this.#logger, delivered.supervisor, consume.name || 'report consumer', () => consume(delivered));
  }
}
