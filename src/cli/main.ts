/**
 * The `threadvisor` command: parses the arguments and runs the command. `run` hands the process to
 * `run()`, which ends it; the other commands resolve with their exit code for the caller to set.
 */
import { CliUsageError, TreeModuleError } from '../errors.js';
import { daemonLogger, run } from '../daemon/run.js';
import { EXIT_CODES } from '../daemon/exit-codes.js';
import { parseCli, USAGE, wantsColor } from './args.js';
import { loadTreeSpec } from './load-tree.js';
import { showTree } from './watch-tree.js';

/** What the CLI reads and writes, so tests can run it in process. */
export interface CliIo {
  /** The package's version, for `--version`. */
  version: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

/**
 * Runs the command in `argv` (the arguments after `threadvisor`). Resolves with the exit code, or with
 * `'running'` when `run` has started a daemon (which exits the process itself when it ends).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number | 'running'> {
  try {
    const cli = parseCli(argv, io.env);
    switch (cli.command) {
      case 'help':
        io.stdout.write(USAGE);
        return EXIT_CODES.ok;
      case 'version':
        io.stdout.write(`${io.version}\n`);
        return EXIT_CODES.ok;
      case 'run': {
        const spec = await loadTreeSpec(cli.module, io.cwd);
        // A start failure is logged and exits the process inside run(); nothing is left to do here.
        await run(spec, { shutdownTimeoutMs: cli.shutdownTimeoutMs, logger: daemonLogger(cli.logLevel), ...(cli.health === undefined ? {} : { health: cli.health }) });
        return 'running';
      }
      case 'tree': {
        const isTTY = io.stdout.isTTY === true;
        const abort = new AbortController();
        const stop = (): void => abort.abort();
        if (cli.watch) process.once('SIGINT', stop);
        try {
          return await showTree({
            url: cli.url,
            watch: cli.watch,
            intervalMs: cli.intervalMs,
            token: cli.token,
            color: wantsColor(cli.color, io.env, isTTY),
            clear: isTTY,
            write: (text) => void io.stdout.write(text),
            error: (text) => void io.stderr.write(text),
            signal: abort.signal,
          });
        } finally {
          process.off('SIGINT', stop);
        }
      }
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`threadvisor: ${error.message}\nRun 'threadvisor --help' for usage.\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof TreeModuleError) {
      io.stderr.write(`threadvisor: ${error.message}\n`);
      return EXIT_CODES.noInput;
    }
    throw error;
  }
}
