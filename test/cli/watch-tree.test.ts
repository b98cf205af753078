// `threadvisor tree`'s fetch loop against a tiny HTTP server on 127.0.0.1 that serves a tree snapshot (the
// real health server is another module's): one fetch, the token, --watch redrawing until aborted, and
// the exit codes of an unreachable server (69) and of an answer that is no tree (76).
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { showTree, type ShowTreeOptions } from '../../src/cli/watch-tree.js';
import { renderTree } from '../../src/cli/render-tree.js';
import { main } from '../../src/cli/main.js';
import type { SupervisorTree } from '../../src/index.js';

const NOW = Date.UTC(2026, 10, 30, 13, 40, 2);
const tree = (restarts: number): SupervisorTree => ({
  name: 'root',
  strategy: 'one_for_one',
  phase: 'running',
  children: [{ id: 'api', type: 'worker', status: 'running', restart: 'permanent', restartCount: restarts, threadId: 1, uptimeMs: 1500 }],
});

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** Serves `answer(n)` for the n-th request (from 0), recording each request's path and headers. */
async function serve(answer: (n: number) => { status?: number; body: string }) {
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  server = createServer((req, res) => {
    const { status = 200, body } = answer(seen.length);
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, seen };
}

function options(url: string, extra: Partial<ShowTreeOptions> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const opts: ShowTreeOptions = { url, watch: false, intervalMs: 5, color: false, clear: false, write: (t) => out.push(t), error: (t) => err.push(t), now: () => NOW, ...extra };
  return { opts, out, err };
}

describe('showTree', () => {
  it('fetches /tree once and prints the rendered snapshot, sending the token as a bearer', async () => {
    const { base, seen } = await serve(() => ({ body: JSON.stringify(tree(2)) }));
    const { opts, out, err } = options(`${base}/tree`, { token: 's3cret' });
    expect(await showTree(opts)).toBe(0);
    expect(out).toEqual([renderTree(tree(2), { color: false, now: NOW })]);
    expect(err).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/tree');
    expect(seen[0]!.headers.authorization).toBe('Bearer s3cret');
  });

  it('redraws with --watch until aborted, clearing the screen on a TTY and showing a failed fetch as it goes', async () => {
    const abort = new AbortController();
    const { base } = await serve((n) => (n === 1 ? { status: 503, body: '{}' } : { body: JSON.stringify(tree(n)) }));
    const out: string[] = [];
    const { opts } = options(`${base}/tree`, {
      watch: true,
      clear: true,
      signal: abort.signal,
      // Stop after the third screen: the loop is driven by what it drew, never by a sleep.
      write: (t) => {
        out.push(t);
        if (out.length === 3) abort.abort();
      },
    });
    expect(await showTree(opts)).toBe(0);
    expect(out).toEqual([
      `\x1b[2J\x1b[H${renderTree(tree(0), { color: false, now: NOW })}`,
      `\x1b[2J\x1b[Hthreadvisor tree: ${base}/tree answered HTTP 503 Service Unavailable (retrying every 5 ms)\n`,
      `\x1b[2J\x1b[H${renderTree(tree(2), { color: false, now: NOW })}`,
    ]);
  });

  it('exits 69 when the server answers with an HTTP error or cannot be reached', async () => {
    const { base } = await serve(() => ({ status: 401, body: 'no' }));
    const denied = options(`${base}/tree`);
    expect(await showTree(denied.opts)).toBe(69);
    expect(denied.err).toEqual([`threadvisor tree: ${base}/tree answered HTTP 401 Unauthorized\n`]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const gone = options(`${base}/tree`);
    expect(await showTree(gone.opts)).toBe(69);
    expect(gone.err).toEqual([`threadvisor tree: cannot reach ${base}/tree: ECONNREFUSED\n`]);
  });

  it('exits 76 when the answer is not JSON, or JSON that is no tree snapshot', async () => {
    const { base } = await serve((n) => ({ body: n === 0 ? 'hello' : JSON.stringify({ name: 'root', children: [{ id: 1 }] }) }));
    const text = options(`${base}/tree`);
    expect(await showTree(text.opts)).toBe(76);
    expect(text.err).toEqual([`threadvisor tree: ${base}/tree answered something that is not JSON\n`]);
    const shape = options(`${base}/tree`);
    expect(await showTree(shape.opts)).toBe(76);
    expect(shape.err[0]).toMatch(/answered JSON that is not a tree snapshot/);
  });

  it('runs as `threadvisor tree --url http://HOST:PORT`, plain without a TTY', async () => {
    const { base, seen } = await serve(() => ({ body: JSON.stringify(tree(0)) }));
    let out = '';
    const code = await main(['tree', '--url', base], { version: '0', env: {}, cwd: '.', stdout: { write: (t: string) => (out += t), isTTY: false }, stderr: { write: () => undefined } });
    expect(code).toBe(0);
    expect(seen[0]!.url).toBe('/tree');
    expect(out).toMatch(/^root {2}one_for_one {2}running {2}\d\d:\d\d:\d\dZ\n└─ api {2}worker {2}running {2}restarts 0 {2}up 1\.5s {2}thread 1\n$/);
  });
});
