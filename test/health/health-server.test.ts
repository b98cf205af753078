import { connect } from 'node:net';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { startHealthServer, type HealthServer } from '../../src/health/health-server.js';
import { HealthServerError, InvalidSpecError } from '../../src/errors.js';
import { setup, started, stopAll, w } from '../supervisor/harness.js';
import { get } from './http.js';

function recorder() {
  const records: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { records.push(JSON.parse(String(chunk))); cb(); } }));
  return { records, logger };
}

const servers = new Set<HealthServer>();
afterEach(async () => {
  await Promise.all([...servers].map((s) => s.close()));
  servers.clear();
});
async function serve(...args: Parameters<typeof startHealthServer>): Promise<HealthServer> {
  const s = await startHealthServer(...args);
  servers.add(s);
  return s;
}

describe('the health server', () => {
  it('answers /healthz, /readyz, /tree and /metrics on 127.0.0.1', async () => {
    const env = setup();
    const sup = await started({ children: [w('a'), w('b')] }, env);
    const registry = { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: () => 'threadvisor_up 1\n' };
    const { url } = await serve(sup, { port: 0, registry });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(url, '/healthz')).toMatchObject({ status: 200, body: 'ok\n', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const ready = await get(url, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, phase: 'running', judged: 'permanent', notReady: [] });
    const tree = await get(url, '/tree?depth=all');
    expect(tree.status).toBe(200);
    expect(JSON.parse(tree.body)).toMatchObject({ name: 'root', phase: 'running', children: [{ id: 'a', status: 'running' }, { id: 'b', status: 'running' }] });
    expect(await get(url, '/metrics')).toMatchObject({ status: 200, body: 'threadvisor_up 1\n', headers: { 'content-type': registry.contentType } });
    const head = await get(url, '/healthz', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    await stopAll(sup, env);
  });

  it('answers 503 with what is not ready while a critical child restarts', async () => {
    const env = setup();
    const sup = await started({ backoff: { initialMs: 1000, maxMs: 1000, factor: 1, jitter: 0 }, children: [w('a'), w('b')] }, env);
    const { url } = await serve(sup, { port: 0, criticalChildren: ['b'] });
    env.host.current('sim:b')!.crash();
    await env.clock.advance(1);
    const answer = await get(url, '/readyz');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ ready: false, phase: 'running', judged: 'critical', notReady: [{ path: 'b', status: 'restarting' }] });
    await env.clock.advance(1000);
    expect((await get(url, '/readyz')).status).toBe(200);
    await stopAll(sup, env);
  });

  it('answers /readyz 503 with draining: true once drained (a shutdown began), while /healthz stays 200', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const health = await serve(sup, { port: 0 });
    expect((await get(health.url, '/readyz')).status).toBe(200);
    health.drain();
    health.drain();
    const drained = await get(health.url, '/readyz');
    expect(drained.status).toBe(503);
    // The tree itself is still fine: only the drain makes the answer 503.
    expect(JSON.parse(drained.body)).toEqual({ ready: false, phase: 'running', judged: 'permanent', notReady: [], draining: true });
    expect((await get(health.url, '/healthz')).status).toBe(200);
    await stopAll(sup, env);
  });

  it('answers 404 to unknown paths and 405 with Allow to other methods, ignoring request bodies', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const { url } = await serve(sup, { port: 0 });
    expect(await get(url, '/')).toMatchObject({ status: 404, body: 'not found\n' });
    expect(await get(url, '/tree/children')).toMatchObject({ status: 404 });
    expect(await get(url, '/readyz', { method: 'POST', body: 'x'.repeat(100_000) })).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    expect(await get(url, '/tree', { method: 'DELETE' })).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    await stopAll(sup, env);
  });

  it('guards everything but /healthz with the bearer token', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const { url } = await serve(sup, { port: 0, token: 's3cret' });
    expect((await get(url, '/healthz')).status).toBe(200);
    for (const path of ['/readyz', '/tree', '/metrics']) {
      expect(await get(url, path)).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer realm="threadvisor"' }, body: 'unauthorized\n' });
      expect((await get(url, path, { headers: { authorization: 'Bearer s3cre' } })).status).toBe(401);
      expect((await get(url, path, { headers: { authorization: 'Basic czNjcmV0' } })).status).toBe(401);
    }
    expect((await get(url, '/tree', { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    await stopAll(sup, env);
  });

  it('answers 500 with a fixed body when a handler fails, and logs the error', async () => {
    const { records, logger } = recorder();
    const broken = { tree: () => { throw new Error('secret internals at /srv/app/x.js:1:1'); } };
    const registry = { contentType: 'text/plain', metrics: () => Promise.reject(new Error('registry broke')) };
    const { url } = await serve(broken, { port: 0, logger, registry });
    for (const path of ['/tree', '/readyz', '/metrics']) {
      const answer = await get(url, path);
      expect(answer).toMatchObject({ status: 500, body: 'internal error\n' });
      expect(answer.body).not.toContain('secret');
    }
    expect(records.filter((r) => r.context === 'health_server' && r.level === 50).map((r) => r.path)).toEqual(['/tree', '/readyz', '/metrics']);
  });

  it('cuts off a client that sends half a request and stalls, while answering others', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const { url } = await serve(sup, { port: 0, headersTimeoutMs: 300 });
    const { port } = new URL(url);
    const stalled = connect(Number(port), '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let got = '';
      stalled.on('data', (d) => (got += String(d)));
      stalled.on('close', () => resolve(got));
    });
    stalled.write('GET /tree HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    for (let i = 0; i < 5; i++) expect((await get(url, '/healthz')).status).toBe(200);
    const answered = await closed;
    expect(answered).not.toContain('"children"');
    expect((await get(url, '/healthz')).status).toBe(200);
    await stopAll(sup, env);
  });

  it('drops a malformed request without answering it garbage, and keeps serving', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const { url } = await serve(sup, { port: 0 });
    const { port } = new URL(url);
    const bad = connect(Number(port), '127.0.0.1');
    const closed = new Promise<void>((resolve) => bad.on('close', () => resolve()));
    bad.on('error', () => undefined);
    bad.write('NOT HTTP AT ALL\r\n\r\n');
    await closed;
    expect((await get(url, '/healthz')).status).toBe(200);
    await stopAll(sup, env);
  });

  it("serves prom-client's global register on /metrics when no registry is given", async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    const { url } = await serve(sup, { port: 0 });
    const answer = await get(url, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    await stopAll(sup, env);
  });

  it('refuses bad options and a taken port with typed errors', async () => {
    const env = setup();
    const sup = await started({ children: [w('a')] }, env);
    await expect(startHealthServer(sup, { port: -1, host: '', token: '' })).rejects.toThrow(InvalidSpecError);
    await expect(startHealthServer(sup, { port: 70000 })).rejects.toThrow(/port: expected a whole number from 0 to 65535; given 70000/);
    const first = await serve(sup, { port: 0 });
    const error = await startHealthServer(sup, { port: Number(new URL(first.url).port) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HealthServerError);
    expect(error).toMatchObject({ code: 'ERR_HEALTH_SERVER', cause: expect.objectContaining({ code: 'EADDRINUSE' }) });
    await stopAll(sup, env);
  });
});
