// The command line as `parseArgs` reads it: each command, each default, and a clear usage error (64)
// for everything else, in process through main() and from the built executable.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliUsageError } from '../../src/index.js';
import { parseCli, wantsColor } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function usageError(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as CliUsageError).code).toBe('ERR_CLI_USAGE');
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, { version, env, cwd: root, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

describe('parseCli', () => {
  it('reads run with its defaults and its options', () => {
    expect(parseCli(['run', './tree.js'])).toEqual({ command: 'run', module: './tree.js', shutdownTimeoutMs: 25_000, logLevel: 'info' });
    expect(parseCli(['run', '--shutdown-timeout', '500', './tree.js', '--log-level=warn'])).toEqual({ command: 'run', module: './tree.js', shutdownTimeoutMs: 500, logLevel: 'warn' });
  });

  it('reads run --health-port and --health-host, taking the token from THREADVISOR_TOKEN only', () => {
    expect(parseCli(['run', './tree.js', '--health-port', '0'])).toEqual({ command: 'run', module: './tree.js', shutdownTimeoutMs: 25_000, logLevel: 'info', health: { port: 0 } });
    expect(parseCli(['run', './tree.js', '--health-port', '9464', '--health-host', '0.0.0.0'], { THREADVISOR_TOKEN: 's3cret' }))
      .toMatchObject({ health: { port: 9464, host: '0.0.0.0', token: 's3cret' } });
    expect(parseCli(['run', './tree.js', '--health-port', '9464'], { THREADVISOR_TOKEN: '' })).toMatchObject({ health: { port: 9464 } });
    expect(usageError(['run', 'a.js', '--health-port', '65536'])).toBe("--health-port expects a whole number from 0 to 65535; given '65536'");
    expect(usageError(['run', 'a.js', '--health-port', 'x'])).toBe("--health-port expects a whole number from 0 to 65535; given 'x'");
    expect(usageError(['run', 'a.js', '--health-host', '::'])).toBe("--health-host needs --health-port; given --health-host '::' alone");
    expect(usageError(['run', 'a.js', '--health-port', '1', '--health-host', ''])).toBe("--health-host expects a host name or address; given ''");
    // A token on the command line would be visible to every user through ps: there is no --health-token.
    expect(usageError(['run', 'a.js', '--health-port', '1', '--health-token', 't'])).toMatch(/Unknown option '--health-token'/);
  });

  it('reads tree, turning a bare server address into its /tree URL', () => {
    expect(parseCli(['tree', '--url', 'http://127.0.0.1:9464'])).toEqual({ command: 'tree', url: 'http://127.0.0.1:9464/tree', watch: false, intervalMs: 1000, token: undefined, color: undefined });
    expect(parseCli(['tree', '--url', 'http://h:1/x/tree', '--watch', '--interval', '250', '--no-color'], { THREADVISOR_TOKEN: 's3cret' }))
      .toEqual({ command: 'tree', url: 'http://h:1/x/tree', watch: true, intervalMs: 250, token: 's3cret', color: false });
    expect(parseCli(['tree', '--url', 'http://h:1', '--token', 'given'], { THREADVISOR_TOKEN: 'env' })).toMatchObject({ token: 'given' });
  });

  it('answers --help and --version wherever they are', () => {
    expect(parseCli(['--help'])).toEqual({ command: 'help' });
    expect(parseCli(['-h'])).toEqual({ command: 'help' });
    expect(parseCli(['run', '--help'])).toEqual({ command: 'help' });
    expect(parseCli(['--version'])).toEqual({ command: 'version' });
  });

  it('refuses what it does not accept, saying what was expected and what was given', () => {
    expect(usageError([])).toBe('expected a command (run, tree); given none');
    expect(usageError(['start'])).toBe("expected a command (run, tree) or --help, --version; given 'start'");
    expect(usageError(['run'])).toBe('threadvisor run expects one module; given none');
    expect(usageError(['run', 'a.js', 'b.js'])).toBe("threadvisor run expects one module; given 'a.js' 'b.js'");
    expect(usageError(['run', 'a.js', '--shutdown-timeout', '-5'])).toMatch(/--shutdown-timeout/);
    expect(usageError(['run', 'a.js', '--shutdown-timeout', '1.5'])).toBe("--shutdown-timeout expects a whole number of ms from 1 to 2147483647; given '1.5'");
    expect(usageError(['run', 'a.js', '--shutdown-timeout', '0'])).toMatch(/given '0'/);
    expect(usageError(['run', 'a.js', '--log-level', 'loud'])).toBe("--log-level expects one of fatal, error, warn, info, debug, trace, silent; given 'loud'");
    expect(usageError(['run', 'a.js', '--shutdown'])).toMatch(/Unknown option '--shutdown'/);
    expect(usageError(['tree'])).toBe('threadvisor tree expects --url <http://HOST:PORT>; given none');
    expect(usageError(['tree', '--url', 'localhost:9464'])).toMatch(/^--url expects an http:\/\/ or https:\/\/ URL/);
    expect(usageError(['tree', '--url', 'not a url'])).toMatch(/given 'not a url'/);
    expect(usageError(['tree', '--url', 'http://h:1', '--interval', 'fast'])).toMatch(/--interval expects a whole number/);
  });
});

describe('wantsColor', () => {
  it('colours a TTY unless NO_COLOR, --no-color or TERM=dumb says otherwise; FORCE_COLOR colours anything', () => {
    expect(wantsColor(undefined, {}, true)).toBe(true);
    expect(wantsColor(undefined, {}, false)).toBe(false);
    expect(wantsColor(undefined, { NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(undefined, { NO_COLOR: '' }, true)).toBe(true);
    expect(wantsColor(false, {}, true)).toBe(false);
    expect(wantsColor(undefined, { TERM: 'dumb' }, true)).toBe(false);
    expect(wantsColor(undefined, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(false);
  });
});

describe('main', () => {
  it('prints usage with exit 0 on --help, and the version on --version', async () => {
    expect(await cli(['--help'])).toMatchObject({ code: 0, err: '' });
    expect((await cli(['--help'])).out).toMatch(/^Usage:\n {2}threadvisor run <module>/);
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('exits 64 with the problem and a pointer to --help on bad arguments', async () => {
    expect(await cli(['run'])).toEqual({ code: 64, out: '', err: "threadvisor: threadvisor run expects one module; given none\nRun 'threadvisor --help' for usage.\n" });
  });

  it('exits 66 when the module is missing, fails to load, or exports no spec', async () => {
    const missing = await cli(['run', 'test/fixtures/daemon/nothing-here.mjs']);
    expect(missing).toMatchObject({ code: 66, out: '' });
    expect(missing.err).toMatch(/^threadvisor: cannot run 'test\/fixtures\/daemon\/nothing-here.mjs': no such file: /);
    const broken = await cli(['run', 'test/fixtures/syntax-error.mjs']);
    expect(broken).toMatchObject({ code: 66 });
    expect(broken.err).toMatch(/it failed to load: SyntaxError/);
    const noSpec = await cli(['run', 'test/fixtures/counter.mjs']);
    expect(noSpec).toMatchObject({ code: 66 });
    expect(noSpec.err).toMatch(/expected its default export to be a supervisor spec \(an object with children\) or a function returning one; given /);
  });
});

describe('the built executable', () => {
  it('is dist/cli.js with a shebang, named by package.json bin, and exits 64 on a usage error', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ threadvisor: './dist/cli.js' });
    expect(readFileSync(join(root, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bad = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', '--log-level', 'loud', 'x.mjs'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(bad.status).toBe(64);
    expect(bad.stderr).toBe("threadvisor: --log-level expects one of fatal, error, warn, info, debug, trace, silent; given 'loud'\nRun 'threadvisor --help' for usage.\n");
    const ver = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(ver).toMatchObject({ status: 0, stdout: `${version}\n` });
  });
});
