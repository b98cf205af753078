import type { Logger } from 'pino';

/**
 * Runs user code that observes a tree (an event listener, a report consumer); if it throws, the error is
 * logged (`listener_error`) and swallowed, because observing the tree must never take the tree down.
 */
export function contain(logger: Logger, supervisor: string, what: string, run: () => unknown): void {
  try {
    run();
  } catch (error) {
    logger.error({ supervisor, context: 'listener_error', event: what, err: error }, `a '${what}' listener threw; the supervisor carries on`);
  }
}
