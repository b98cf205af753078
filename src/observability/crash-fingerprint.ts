/**
 * A crash's fingerprint: a short string that stays the same for the same bug and differs between bugs, so
 * a crash loop folds into one report and a dashboard can count crashes per bug. Pure string work on the
 * stack the worker posted (plus where this module itself was loaded from, to recognise our own frames).
 */
import { render } from '../options/render.js';

/** One parsed stack frame. */
interface StackFrame {
  /** The file as the stack wrote it, without a `file://` prefix. */
  file: string;
  line: number;
  column: number;
}

/** Options of {@link fingerprintFrame} and {@link crashFingerprint}. */
export interface FingerprintOptions {
  /**
   * More frames to skip, as file prefixes or patterns (a wrapper library of yours that is not in
   * `node_modules`). Threadvisor's own files, `node:` internals and `node_modules` are always skipped.
   * @default []
   */
  ignore?: readonly (string | RegExp)[];
  /**
   * Paths under this directory are written relative to it, so the same bug fingerprints alike on every
   * machine and in every release directory. @default process.cwd()
   */
  root?: string;
}

/**
 * What is wrong with the fingerprint options of a reporter (crash reports, metrics), checked when the
 * reporter is built: a bad one would otherwise throw on every crash, inside the consumer, where the crash
 * would be caught and lost to the reporter instead of reported.
 */
export function fingerprintOptionIssues(options: FingerprintOptions): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const { ignore, root } = options;
  if (ignore !== undefined && !(Array.isArray(ignore) && ignore.every((p) => typeof p === 'string' || p instanceof RegExp))) {
    issues.push({ path: 'ignore', message: `expected an array of file prefixes (strings) or RegExps; given ${render(ignore)}` });
  }
  if (root !== undefined && (typeof root !== 'string' || root === '')) issues.push({ path: 'root', message: `expected a directory path; given ${render(root)}` });
  return issues;
}

// `    at fn (file:///a/b.mjs:7:9)`, `    at file:///a/b.mjs:7:9`, `    at async fn (/a/b.js:1:2)`.
const FRAME = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * Where threadvisor itself is loaded from: the folder above `dist/` (the built package) or `src/` (its
 * sources under a TypeScript test runner). Read from this module's own stack frame, which works in the
 * ESM and the CommonJS builds alike (no `import.meta`, no `__dirname`). `null` if it cannot be told.
 */
const OWN_ROOT: string | null = (() => {
  const here = new Error().stack?.split('\n').map((l) => FRAME.exec(l)?.[1]).find((f) => f !== undefined);
  if (here === undefined) return null;
  const file = stripScheme(here);
  const cut = Math.max(file.lastIndexOf('/dist/'), file.lastIndexOf('/src/'));
  return cut < 0 ? null : file.slice(0, cut + 1);
})();

/** The frames of a stack, in order, skipping the header (`Name: message`, which may span lines). */
function parseFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (m === null) continue;
    frames.push({ file: stripScheme(m[1]!), line: Number(m[2]), column: Number(m[3]) });
  }
  return frames;
}

/** Whether a frame is in user code: not threadvisor's own files, not Node's internals, not a dependency. */
function isUserFrame(frame: StackFrame, options: FingerprintOptions = {}): boolean {
  const { file } = frame;
  if (file.startsWith('node:') || file.startsWith('internal/') || file.includes('/node_modules/') || file.includes('\\node_modules\\')) return false;
  if (file === 'native' || file.startsWith('<') || file.startsWith('eval at')) return false;
  if (OWN_ROOT !== null && (file.startsWith(`${OWN_ROOT}dist/`) || file.startsWith(`${OWN_ROOT}src/`))) return false;
  for (const pattern of options.ignore ?? []) {
    if (typeof pattern === 'string' ? file.startsWith(pattern) : pattern.test(file)) return false;
  }
  return true;
}

/**
 * The first frame of `stack` in user code, as `file:line:column` with the file relative to `root`, or
 * `null` when there is none (a module that failed to load, an error made inside Node).
 *
 * @example
 * fingerprintFrame('TypeError: id 42 not found\n    at load (file:///app/src/db.mjs:7:9)\n    at invoke (file:///app/node_modules/threadvisor/dist/worker.js:291:14)', { root: '/app' })
 * // 'src/db.mjs:7:9'
 */
export function fingerprintFrame(stack: string | undefined, options: FingerprintOptions = {}): string | null {
  if (stack === undefined) return null;
  const frame = parseFrames(stack).find((f) => isUserFrame(f, options));
  if (frame === undefined) return null;
  return `${relativeTo(frame.file, options.root ?? cwd())}:${frame.line}:${frame.column}`;
}

/** What a fingerprint is made of: the error (if any), the reason's kind, and whose crash it was. */
export interface FingerprintInput {
  /** The exit reason's kind (`error`, `exit`, `oom`, `hung`, `killed`, `start_failed`, `max_intensity`). */
  kind: string;
  /** For an `exit`: the code, kept because `exit(1)` and `exit(2)` are usually different bugs. */
  code?: number;
  /** The error the reason carries, when it carries one. */
  error?: { name: string; stack?: string };
  /** The worker's module (stable across restarts and dynamic ids), else the child's path. */
  where: string;
}

/**
 * The fingerprint of one crash. With an error and a frame in user code: `Name@file:line:column` (the
 * message is left out, so the same bug with different data groups together). Otherwise: the reason kind
 * (with an exit code) and the error's name if any, at the child's module or path:
 * `exit(1)@src/job.mjs`, `oom@src/job.mjs`, `hung@src/job.mjs`, `max_intensity@jobs`,
 * `start_failed:SyntaxError@src/job.mjs`.
 */
export function crashFingerprint(input: FingerprintInput, options: FingerprintOptions = {}): string {
  const frame = input.error === undefined ? null : fingerprintFrame(input.error.stack, options);
  if (input.error !== undefined && frame !== null) return `${input.error.name}@${frame}`;
  const where = relativeTo(stripScheme(input.where), options.root ?? cwd());
  const kind = input.kind === 'exit' && input.code !== undefined ? `exit(${input.code})` : input.kind;
  return input.error === undefined ? `${kind}@${where}` : `${kind}:${input.error.name}@${where}`;
}

function stripScheme(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    // A malformed URL is still a usable, stable string for a fingerprint.
    return file.slice('file://'.length);
  }
}

function relativeTo(file: string, root: string): string {
  const base = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(base) ? file.slice(base.length) : file;
}

function cwd(): string {
  try {
    return process.cwd();
  } catch {
    // The working directory was deleted under us: absolute paths are still stable fingerprints.
    return '/';
  }
}
