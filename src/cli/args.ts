/**
 * The `threadvisor` command line, parsed with `node:util`'s `parseArgs` into one typed command. Pure:
 * anything it does not accept becomes a `CliUsageError` naming what was wrong, which the CLI prints
 * before exiting 64.
 */
import { parseArgs } from 'node:util';
import { CliUsageError } from '../errors.js';
import { MAX_TIMER_MS } from '../options/defaults.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../options/start-options.js';

/** pino's levels, as `--log-level` accepts them. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A pino level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The default of `--interval`, in ms: `--watch` redraws once a second. */
const DEFAULT_INTERVAL_MS = 1000;

/** What the command line asks for. */
export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'run'; module: string; shutdownTimeoutMs: number; logLevel: LogLevel; health?: CliHealth }
  | { command: 'tree'; url: string; watch: boolean; intervalMs: number; token: string | undefined; color: boolean | undefined };

/** The health server `threadvisor run` starts with `--health-port`. */
interface CliHealth {
  port: number;
  host?: string;
  /** From `THREADVISOR_TOKEN`: never an argument, which `ps` would show to every user. */
  token?: string;
}

/** The text of `threadvisor --help`. */
export const USAGE = `Usage:
  threadvisor run <module> [--shutdown-timeout <ms>] [--log-level <level>] [--health-port <n> [--health-host <host>]]
      Runs the supervision tree that <module> exports (default export or \`spec\`, or a function
      returning one) as a daemon: SIGTERM/SIGINT stop it in order, a root escalation exits non-zero.
        --shutdown-timeout <ms>  overall deadline of the shutdown (default ${DEFAULT_SHUTDOWN_TIMEOUT_MS})
        --log-level <level>      ${LOG_LEVELS.join(', ')} (default info)
        --health-port <n>        serve /healthz, /readyz, /metrics, /tree on this port (0: any free
                                 one; the \`ready\` log line tells its URL); set THREADVISOR_TOKEN to
                                 require "Authorization: Bearer <token>" on all but /healthz
        --health-host <host>     the address it listens on (default 127.0.0.1)
  threadvisor tree --url <http://127.0.0.1:PORT> [--watch] [--interval <ms>] [--token <token>] [--no-color]
      Shows the live tree served by a health server's /tree endpoint.
        --watch            redraw every --interval ms (default ${DEFAULT_INTERVAL_MS}) until Ctrl-C
        --token <token>    sent as "Authorization: Bearer <token>" (or set THREADVISOR_TOKEN)
        --no-color         plain text (also without a TTY, or with NO_COLOR set)
  threadvisor --help | --version

Exit codes: 0 ok, 1 the tree failed to start, 64 bad arguments, 66 the module gives no spec,
69 the root gave up (tree: the server is unreachable), 70 uncaught error in the main thread,
76 the server sent no tree, 124 the shutdown deadline passed, 130/143 forced by a second signal.
`;

/**
 * Parses the arguments after `threadvisor` (`process.argv.slice(2)`).
 * @throws CliUsageError (`ERR_CLI_USAGE`) for an unknown command or option, or a missing or malformed value.
 */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new CliUsageError('expected a command (run, tree); given none');
  if (command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  if (command === 'run') return parseRun(rest, env);
  if (command === 'tree') return parseTree(rest, env);
  throw new CliUsageError(`expected a command (run, tree) or --help, --version; given '${command}'`);
}

function parseRun(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values, positionals } = parse(args, {
    'shutdown-timeout': { type: 'string' },
    'log-level': { type: 'string' },
    'health-port': { type: 'string' },
    'health-host': { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new CliUsageError(`threadvisor run expects one module; given ${positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ')}`);
  }
  const level = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new CliUsageError(`--log-level expects one of ${LOG_LEVELS.join(', ')}; given '${level}'`);
  const health = healthOf(values['health-port'], values['health-host'], env);
  return {
    command: 'run',
    module: positionals[0]!,
    shutdownTimeoutMs: wholeMs('--shutdown-timeout', values['shutdown-timeout'], DEFAULT_SHUTDOWN_TIMEOUT_MS),
    logLevel: level as LogLevel,
    ...(health === undefined ? {} : { health }),
  };
}

/** `--health-port` and `--health-host` as the `health` option of `run()`, or `undefined` without a port. */
function healthOf(port: string | undefined, host: string | undefined, env: Readonly<Record<string, string | undefined>>): CliHealth | undefined {
  if (port === undefined) {
    if (host !== undefined) throw new CliUsageError(`--health-host needs --health-port; given --health-host '${host}' alone`);
    return undefined;
  }
  const n = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(Number.isInteger(n) && n <= 65535)) throw new CliUsageError(`--health-port expects a whole number from 0 to 65535; given '${port}'`);
  if (host === '') throw new CliUsageError("--health-host expects a host name or address; given ''");
  const token = env.THREADVISOR_TOKEN;
  return { port: n, ...(host === undefined ? {} : { host }), ...(token === undefined || token === '' ? {} : { token }) };
}

function parseTree(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values, positionals } = parse(args, {
    url: { type: 'string' },
    watch: { type: 'boolean' },
    interval: { type: 'string' },
    token: { type: 'string' },
    'no-color': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new CliUsageError(`threadvisor tree takes no positional arguments; given ${positionals.map((p) => `'${p}'`).join(' ')}`);
  const url = values.url;
  if (url === undefined) throw new CliUsageError('threadvisor tree expects --url <http://HOST:PORT>; given none');
  return {
    command: 'tree',
    url: treeUrl(url),
    watch: values.watch === true,
    intervalMs: wholeMs('--interval', values.interval, DEFAULT_INTERVAL_MS),
    token: values.token ?? (env.THREADVISOR_TOKEN === '' ? undefined : env.THREADVISOR_TOKEN),
    color: values['no-color'] === true ? false : undefined,
  };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** `parseArgs`, strict, its TypeErrors (unknown option, missing value) turned into usage errors. */
function parse<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** A whole number of ms from 1 to 2^31-1, or `fallback` when the option is absent. */
function wholeMs(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMER_MS) throw new CliUsageError(`${option} expects a whole number of ms from 1 to ${MAX_TIMER_MS}; given '${value}'`);
  return n;
}

/**
 * The `/tree` URL of a health server given as `http://HOST:PORT` (a URL that already names a path is
 * kept as it is).
 */
function treeUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new CliUsageError(`--url expects an http:// or https:// URL such as http://127.0.0.1:9464; given '${given}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError(`--url expects an http:// or https:// URL; given '${given}'`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/tree';
  return url.href;
}

/**
 * Whether to colour: never with `--no-color` or a non-empty `NO_COLOR` (no-color.org), always with
 * `FORCE_COLOR`, otherwise on a TTY whose `TERM` is not `dumb`.
 */
export function wantsColor(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}
