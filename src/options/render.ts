/**
 * The one renderer of given values in threadvisor's messages ("expected ...; given <value>"). It is short
 * (80 characters at most), never throws, and shows what JSON cannot: `Infinity`, `-Infinity`, `NaN`,
 * `undefined`, bigints, symbols (`SHARE_ENV` by name), functions, URLs and cycles.
 */
import { SHARE_ENV } from './defaults.js';

/** The longest rendering; longer ones end in `...`. */
const MAX_LENGTH = 80;
/** How deep nested objects and arrays are shown before `...`. */
const MAX_DEPTH = 3;

/**
 * Renders a given value for an error message: strings quoted, numbers as written (`Infinity`, `NaN`),
 * URLs as `URL(<href>)`, objects and arrays JSON-like. Never throws, even on a Proxy whose traps throw.
 *
 * @example
 * render(Infinity)        // 'Infinity'
 * render({ a: NaN })      // '{"a":NaN}'
 * render('x')             // '"x"'
 */
export function render(value: unknown): string {
  let text: string;
  try {
    text = renderAt(value, 0, []);
  } catch {
    // A Proxy or a getter that throws still gets named, just less precisely.
    text = safeTag(value);
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}

function renderAt(value: unknown, depth: number, seen: object[]): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'symbol':
      return value === SHARE_ENV ? 'SHARE_ENV' : String(value);
    case 'function':
      return value.name ? `[function ${value.name}]` : '[function]';
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (isUrlObject(object)) return `URL(${(object as URL).href})`;
  if (seen.includes(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[...]' : '{...}';
  const inner = [...seen, object];
  if (Array.isArray(object)) return `[${object.map((v) => renderAt(v, depth + 1, inner)).join(',')}]`;
  const entries = Object.entries(object).map(([k, v]) => `${JSON.stringify(k)}:${renderAt(v, depth + 1, inner)}`);
  return `{${entries.join(',')}}`;
}

/** A URL of any realm (a vm context, jest): its tag says URL. Reading `href` may still throw (a Proxy). */
function isUrlObject(value: object): boolean {
  return Object.prototype.toString.call(value) === '[object URL]';
}

function safeTag(value: unknown): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[object]';
  }
}
