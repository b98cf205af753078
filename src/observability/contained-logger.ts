/**
 * A user's logger that cannot break the tree it logs for. Every log call threadvisor makes happens while
 * it supervises (a report, a contained listener error, a broken invariant), so a logger whose method
 * throws must not abort that work: the record goes to `process.stderr` as one line instead, and the
 * caller carries on.
 */
import type { Logger } from 'pino';
import { render } from '../options/render.js';

/** The methods wrapped: the ones threadvisor calls, plus pino's other levels for completeness. */
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const CONTAINED = Symbol('threadvisor.containedLogger');

/**
 * Wraps `logger` so a throwing log method writes one line to `process.stderr` (through
 * {@link fallbackLine}) instead of throwing. Everything else (`child`, `level`, ...) is the logger's own.
 * Wrapping twice returns the same wrapper.
 */
export function containLogger(logger: Logger): Logger {
  if ((logger as unknown as Record<symbol, unknown>)[CONTAINED] === true) return logger;
  const safe = Object.create(logger) as Record<string | symbol, unknown>;
  for (const level of LEVELS) {
    const method = (logger as unknown as Record<string, unknown>)[level];
    if (typeof method !== 'function') continue;
    safe[level] = (...args: unknown[]): void => {
      try {
        method.apply(logger, args);
      } catch (error) {
        writeFallback(fallbackLine(level, args, error));
      }
    };
  }
  safe[CONTAINED] = true;
  return safe as unknown as Logger;
}

/**
 * The one line written when the logger threw: which method, why, and the record it was given (rendered
 * short, never throwing). Ends with a newline.
 */
function fallbackLine(level: string, args: readonly unknown[], error: unknown): string {
  const record = args.map((a) => (typeof a === 'string' ? a : render(a))).join(' ');
  return `threadvisor: the logger's ${level}() threw (${describe(error)}); the record was: ${record}\n`;
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : render(error);
  } catch {
    return render(error);
  }
}

function writeFallback(line: string): void {
  try {
    process.stderr.write(line);
  } catch {
    // Nowhere left to write: losing one log line beats breaking supervision.
  }
}
