/**
 * An error as it crosses a thread boundary: structured clone drops the prototype of most errors and
 * every custom property, so the worker flattens its errors into this shape before posting them.
 */
export interface SerializedError {
  /** The error's class name (`TypeError`, `RangeError`, a user class...). */
  name: string;
  message: string;
  /** The stack as the thread that threw it saw it; kept verbatim so crash reports point at user code. */
  stack?: string;
  /** A stable error code, when the error carried one (`ERR_...`). */
  code?: string;
  /** The error's `cause`, flattened the same way. */
  cause?: SerializedError;
}

/** Flattens any thrown value (errors, strings, objects) into a {@link SerializedError}. */
export function serializeError(value: unknown, depth = 0): SerializedError {
  // Duck-typed, not `instanceof Error`: errors from another realm (a vm context, Node internals seen from
  // one) are not instances of this realm's Error, and their `code` is what tells an OOM from a crash.
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    const v = value as { name?: unknown; message: string; stack?: unknown; code?: unknown; cause?: unknown };
    const out: SerializedError = { name: typeof v.name === 'string' ? v.name : 'Error', message: v.message };
    if (typeof v.stack === 'string') out.stack = v.stack;
    if (typeof v.code === 'string') out.code = v.code;
    if (v.cause !== undefined && depth < 8) out.cause = serializeError(v.cause, depth + 1);
    return out;
  }
  let message: string;
  try {
    message = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    // A value JSON cannot print (a cycle, a BigInt) still has a String() form; the crash stays visible.
    message = String(value);
  }
  return { name: 'NonErrorThrown', message };
}
