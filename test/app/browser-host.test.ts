// The browser host in-process on a free port: security headers, static files confined to
// out/renderer, and the token- and origin-checked WebSocket RPC. Needs `npm run build` first
// (npm test runs it); without out/renderer the host refuses to start and these tests fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../main/host/browser-host';
import { createTerminal, type Terminal } from '../../main/terminal';
import { contentSecurityPolicy } from '../../main/terminal/content-security-policy';
import { openSocket, rawGet, type MessageSocket } from './helpers';

const rendererDir = resolve(import.meta.dirname, '../../out/renderer');
let host: BrowserHost;
let terminal: Terminal;
let dataDir: string;
let origin: string;
const loggedErrors: unknown[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-host-'));
  // A real terminal, not enrolled and without readers: the host only carries its table.
  terminal = createTerminal({
    dataDir,
    version: '9.9.9-test',
    transport: 'websocket',
    drivers: [],
    pcsc: { available: false, notice: null },
    logError: (error) => loggedErrors.push(error),
  });
  host = await startBrowserHost({
    rendererDir,
    handlers: terminal.handlers,
    events: terminal.events,
    port: 0,
    logError: (error) => loggedErrors.push(error),
  });
  origin = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host?.close();
  await terminal?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('browser host: HTTP', () => {
  it('serves the renderer with the strict CSP and the other security headers', async () => {
    const response = await rawGet(host.port, '/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toBe(contentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "connect-src 'self' ws://127.0.0.1:*",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.body).toContain('Tapsafe terminal');
  });

  it('ships a page with no inline script or style, and serves its script bundle', async () => {
    const page = (await rawGet(host.port, '/')).body;
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|\sstyle=/);
    const script = /<script[^>]*\ssrc="\.\/([^"]+)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const bundle = await rawGet(host.port, `/${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers['content-security-policy']).toBe(contentSecurityPolicy);
  });

  it.each([
    '/../package.json',
    '/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/package.json',
    '/assets/..%2f..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '//etc/passwd',
    '/%00index.html',
    '/%E0%A4%A',
    '/no-such-file.html',
    '/assets',
  ])('answers 404 for %s', async (path) => {
    const response = await rawGet(host.port, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"name"');
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
  });

  it('refuses other methods and foreign Host headers (DNS rebinding)', async () => {
    expect((await rawGet(host.port, '/', { method: 'POST' })).status).toBe(405);
    expect((await rawGet(host.port, '/', { host: 'evil.example' })).status).toBe(403);
    expect((await rawGet(host.port, '/', { host: `localhost:${host.port}` })).status).toBe(200);
  });
});

describe('browser host: WebSocket RPC', () => {
  const rpc = (token: string, path = '/rpc') =>
    `ws://127.0.0.1:${host.port}${path}?token=${encodeURIComponent(token)}`;

  async function connect(): Promise<MessageSocket> {
    const attempt = await openSocket(rpc(host.token), origin);
    if (!attempt.opened) throw new Error(`refused with ${attempt.status}`);
    return attempt.socket;
  }

  it('refuses a connection without a token, with a wrong token, or from another origin', async () => {
    const noToken = await openSocket(`ws://127.0.0.1:${host.port}/rpc`, origin);
    expect(noToken).toEqual({ opened: false, status: 403 });
    const wrongToken = await openSocket(rpc(`${host.token}x`), origin);
    expect(wrongToken).toEqual({ opened: false, status: 403 });
    const emptyToken = await openSocket(rpc(''), origin);
    expect(emptyToken).toEqual({ opened: false, status: 403 });
    const foreign = await openSocket(rpc(host.token), 'http://evil.example');
    expect(foreign).toEqual({ opened: false, status: 403 });
    const noOrigin = await openSocket(rpc(host.token));
    expect(noOrigin).toEqual({ opened: false, status: 403 });
    const otherPath = await openSocket(rpc(host.token, '/other'), origin);
    expect(otherPath).toEqual({ opened: false, status: 403 });
  });

  it('answers app.info with the right token', async () => {
    const socket = await connect();
    expect(await socket.call({ id: 1, method: 'app.info' })).toEqual({
      id: 1,
      ok: true,
      result: {
        version: '9.9.9-test',
        mode: 'unenrolled',
        transport: 'websocket',
        merchantId: null,
        terminalId: null,
      },
    });
    socket.close();
  });

  it('answers malformed and unknown requests with typed errors and keeps serving', async () => {
    const socket = await connect();
    const errorCode = async (request: unknown) => {
      const reply = (await socket.call(request)) as { ok: boolean; error?: { code: string } };
      expect(reply.ok).toBe(false);
      return reply.error?.code;
    };
    expect(await errorCode('{not json')).toBe('bad_json');
    expect(await errorCode('[]')).toBe('bad_request');
    expect(await errorCode('null')).toBe('bad_request');
    expect(await errorCode({ method: 'app.info' })).toBe('bad_request');
    expect(await errorCode({ id: 2, method: 42 })).toBe('bad_request');
    expect(await errorCode({ id: 3, method: 'no.such.method' })).toBe('unknown_method');
    expect(await errorCode({ id: 4, method: '__proto__' })).toBe('unknown_method');
    expect(await errorCode({ id: 5, method: 'constructor' })).toBe('unknown_method');
    expect(await errorCode({ id: 6, method: 'app.info', params: { x: 1 } })).toBe('invalid_params');
    socket.send(Buffer.from([1, 2, 3]));
    expect(await socket.next()).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await socket.call({ id: 7, method: 'app.info' })).toMatchObject({ id: 7, ok: true });
    socket.close();
    expect(loggedErrors).toEqual([]);
  });

  it('answers a message over 64 KiB with a typed error and keeps the socket', async () => {
    const socket = await connect();
    const big = JSON.stringify({ id: 9, method: 'app.info', params: 'x'.repeat(128 * 1024) });
    expect(await socket.call(big)).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('at most 65536') as string },
    });
    expect(await socket.call({ id: 10, method: 'app.info' })).toMatchObject({ id: 10, ok: true });
    socket.close();
  });

  it('closes a socket that sends a frame over 1 MiB, and the server survives', async () => {
    const socket = await connect();
    const closed = new Promise<number>((resolveClosed) =>
      socket.socket.once('close', resolveClosed),
    );
    socket.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    expect((await rawGet(host.port, '/')).status).toBe(200);
    const again = await connect();
    expect(await again.call({ id: 1, method: 'app.info' })).toMatchObject({ ok: true });
    again.close();
  });

  it('pushes terminal events to connected renderers', async () => {
    const socket = await connect();
    const payload = {
      level: 'info',
      message: 'Terminal ready',
      at: new Date(0).toISOString(),
    } as const;
    terminal.events.publish('app.status', payload);
    expect(await socket.next()).toEqual({ event: 'app.status', payload });
    socket.close();
  });
});
