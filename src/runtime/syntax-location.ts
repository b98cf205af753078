/**
 * Finds where a worker module's syntax error is. Node compiles a thread's ES modules without putting the
 * location in the `SyntaxError` it reports (the file, line and caret it prints for a main script stay
 * hidden inside the thread), so a start that failed on one would name no file at all. Node's own syntax
 * checker (`node --check`) parses a file without running any of it and prints exactly that location.
 * It runs in a child process only on this failure path, so it costs nothing when modules load.
 *
 * The error may sit in a module the entry imports: when the entry parses, its relative static imports are
 * checked in turn, breadth first, within a bounded number of files and time. Packages (bare specifiers)
 * are not searched: they ship checked code, and resolving them would mean reimplementing Node's resolver.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SerializedError } from '../protocol/serialized-error.js';

/** How long one file's check may take. */
const SYNTAX_CHECK_TIMEOUT_MS = 2000;
/** How many files the search checks at most, and how long it may take in all (ms). */
const SEARCH_LIMIT = { files: 25, ms: 5000 };

/**
 * `true` for a `SyntaxError` whose stack points at no file of the user's (every frame is Node's own):
 * a parse error. A `SyntaxError` thrown by the module's code (`JSON.parse` at top level) has frames in it.
 */
function lacksLocation(error: SerializedError): boolean {
  if (error.name !== 'SyntaxError') return false;
  // A stack that does not open with the error's name was decorated: Node put the file and line first.
  if (!(error.stack ?? `${error.name}:`).startsWith(`${error.name}:`)) return false;
  const frames = (error.stack ?? '').split('\n').slice(1).filter((line) => /^\s+at /.test(line));
  return frames.every((line) => /\(node:|\bat node:/.test(line));
}

/**
 * Puts where a syntax error that stopped `module` from loading is into its message
 * (`... (file:///app/w.mjs:4:12)`) and its stack (a first frame at that place, which editors and terminals
 * link). A CommonJS module's error already opens its stack with the file, line and caret: that is read.
 * An ES module's has none: the module and its relative imports are checked to find it. Any other error,
 * or one the search cannot place, is returned unchanged.
 */
export async function withSyntaxLocation(error: SerializedError, module: URL): Promise<SerializedError> {
  if (error.name !== 'SyntaxError') return error;
  const decorated = decoratedLocation(error);
  if (decorated !== undefined) return located(error, { ...decorated, importer: undefined });
  if (!lacksLocation(error)) return error;
  const found = await searchOnce(module, error.message);
  return found === undefined ? error : located(error, found);
}

/**
 * Searches made, by module and message: a supervisor restarting a broken module fails the same way on
 * every attempt, and must not pay the child processes (up to the search's time limit) before each
 * `StartError`. A fixed module loads and never asks again; a differently broken one has another message.
 */
const searches = new Map<string, ReturnType<typeof findSyntaxError>>();
const MAX_SEARCHES = 100;

function searchOnce(module: URL, message: string): ReturnType<typeof findSyntaxError> {
  const key = `${module.href}\n${message}`;
  let search = searches.get(key);
  if (search === undefined) {
    if (searches.size >= MAX_SEARCHES) searches.delete(searches.keys().next().value as string);
    search = findSyntaxError(module);
    searches.set(key, search);
  }
  return search;
}

/** The location in a stack Node decorated (`<file>:<line>`, the source line, a caret line, then the error). */
function decoratedLocation(error: SerializedError): { url: string; line: number; column: number } | undefined {
  const stack = error.stack ?? '';
  if (stack.startsWith(`${error.name}:`)) return undefined;
  const header = /^(.+):(\d+)$/.exec(stack.slice(0, stack.indexOf('\n')));
  if (header === null) return undefined;
  const file = header[1] as string;
  let url: string;
  try {
    url = /^file:/.test(file) ? new URL(file).href : pathToFileURL(file).href;
  } catch {
    return undefined;
  }
  const where = parseCheckOutput(stack, file);
  return where === undefined ? undefined : { url, ...where };
}

function located(error: SerializedError, found: Found): SerializedError {
  const place = `${found.url}:${found.line}:${found.column}`;
  const message = found.importer === undefined
    ? `${error.message} (${place})`
    : `${error.message} (${place}, imported by ${found.importer})`;
  // Only the frames: a decorated stack's header (file, source line, caret) now lives in the message.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { ...error, message, stack: [`${error.name}: ${message}`, `    at ${place}`, ...frames].join('\n') };
}

interface Found {
  url: string;
  line: number;
  column: number;
  /** The module that imports it (the entry itself has none). */
  importer: string | undefined;
}

/** Checks the entry, then its relative static imports breadth first; the first file that fails wins. */
async function findSyntaxError(entry: URL): Promise<Found | undefined> {
  const deadline = performance.now() + SEARCH_LIMIT.ms;
  const queue: { url: URL; importer: string | undefined }[] = [{ url: entry, importer: undefined }];
  const seen = new Set([entry.href]);
  for (let checked = 0; queue.length > 0 && checked < SEARCH_LIMIT.files && performance.now() < deadline; checked++) {
    const { url, importer } = queue.shift() as { url: URL; importer: string | undefined };
    const result = await checkSyntax(url);
    if (result === 'unreadable') continue;
    if (result !== 'parses') return { url: url.href, ...result, importer };
    for (const next of await relativeImports(url)) {
      if (seen.has(next.href)) continue;
      seen.add(next.href);
      queue.push({ url: next, importer: url.href });
    }
  }
  return undefined;
}

/**
 * The relative static imports of a module (`import ... from './x.js'`, `export ... from '../y.mjs'`,
 * `import './z.js'`), read with a pattern rather than a parser: a match inside a comment or a string only
 * costs one more check of a file that may not exist.
 */
async function relativeImports(url: URL): Promise<URL[]> {
  let source: string;
  try {
    source = await readFile(url, 'utf8');
  } catch {
    return [];
  }
  const urls: URL[] = [];
  for (const match of source.matchAll(/\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g)) {
    urls.push(new URL(match[1] as string, url));
  }
  return urls;
}

type CheckResult = { line: number; column: number } | 'parses' | 'unreadable';

function checkSyntax(module: URL): Promise<CheckResult> {
  let path: string;
  try {
    path = fileURLToPath(module);
  } catch {
    return Promise.resolve('unreadable');
  }
  return new Promise((resolve) => {
    // NODE_OPTIONS is dropped: a `--require` or `--import` in it would run code, and a check must run none.
    const env = { ...process.env, NODE_OPTIONS: '' };
    execFile(process.execPath, ['--check', path], { env, timeout: SYNTAX_CHECK_TIMEOUT_MS, windowsHide: true, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error === null) resolve('parses');
      else resolve(parseCheckOutput(stderr, path) ?? 'unreadable');
    });
  });
}

/**
 * Reads `node --check`'s report: a line `<path>:<line>`, the source line, then a caret line under the
 * offending token (blank at the end of the input, where the column is just past the line's end).
 * `undefined` when the report holds no location (a missing file, a timeout).
 */
export function parseCheckOutput(stderr: string, path: string): { line: number; column: number } | undefined {
  const lines = stderr.split(/\r?\n/);
  const at = lines.findIndex((line) => line.startsWith(`${path}:`) && /^\d+$/.test(line.slice(path.length + 1)));
  if (at < 0) return undefined;
  const line = Number((lines[at] as string).slice(path.length + 1));
  const source = lines[at + 1] ?? '';
  const caret = (lines[at + 2] ?? '').indexOf('^');
  return { line, column: caret >= 0 ? caret + 1 : source.length + 1 };
}
