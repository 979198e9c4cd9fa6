/**
 * The gate before the body: an anonymous or unknown caller is refused 401 before any of its
 * body is read (however large, whatever its type or syntax), a known caller may have only a
 * few requests in flight, and the refusals Fastify and Node make before a route is found
 * come in the platform's own error shape, echoing nothing of the request.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../protocol';
import { MAX_IN_FLIGHT } from '../../platform/auth/in-flight';
import { UNITS } from '../../platform/units';
import { readWhole } from '../support/http';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { openNoticeSocket } from './support/notice-socket';
import { testPlatform } from './support/platform';
import { errorOf, signed } from './support/requests';
import { callers } from './support/units';

const MiB = 1024 * 1024;

/** A body of `size` bytes that counts how much of it was ever read. */
function countedBody(size: number) {
  const read = { bytes: 0 };
  const stream = new Readable({
    read() {
      if (read.bytes >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(MiB, size - read.bytes), 0x41);
      read.bytes += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, read };
}

const isTypedError = (body: unknown): boolean => {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  return (
    typeof error?.code === 'string' &&
    typeof error.message === 'string' &&
    Object.keys(error).every((key) => ['code', 'message', 'field'].includes(key))
  );
};

describe.each(backends())('the request gate on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('refuses an anonymous or unknown uploader with 401 before reading its body', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const stranger = {
      'x-tapsafe-terminal': 'T-nobody',
      'x-tapsafe-time': String(platform.clock.now()),
      'x-tapsafe-nonce': randomBytes(16).toString('hex'),
      'x-tapsafe-signature': randomBytes(64).toString('hex'),
    };
    for (const [who, headers, code] of [
      ['anonymous', {}, 'credentials_missing'],
      ['unknown terminal', stranger, 'unknown_caller'],
    ] as const) {
      const body = countedBody(15 * MiB);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/settlement/batches',
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          'content-length': String(15 * MiB),
        },
        payload: body.stream,
      });
      expect(response.statusCode, who).toBe(401);
      expect(errorOf(response).code, who).toBe(code);
      expect(body.read.bytes, `${who}: bytes of the body read`).toBeLessThanOrEqual(MiB);
    }
    await app.close();
  });

  it('answers anonymous callers 401 whatever their body, type or path', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const anonymous = [
      {
        method: 'POST',
        url: '/v1/accounts',
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      },
      {
        method: 'POST',
        url: '/v1/accounts',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      },
      { method: 'GET', url: `/v1/accounts/${'a'.repeat(500)}` },
      { method: 'GET', url: '/v1/accounts/%E0%A4%A' },
    ] as const;
    for (const request of anonymous) {
      const response = await app.inject(request);
      expect(`${request.url.slice(0, 30)} ${response.statusCode} ${errorOf(response).code}`).toBe(
        `${request.url.slice(0, 30)} 401 credentials_missing`,
      );
    }
    await app.close();
  });

  it('types the router’s own refusals for a known caller, echoing nothing of the path', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const as = await callers(platform);
    const marker = 'zz<script>'.padEnd(300, 'q');
    const long = await app.inject(as.operator('GET', `/v1/accounts/${encodeURIComponent(marker)}`));
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({
      error: { code: 'path_too_long', message: expect.any(String) as string },
    });
    expect(long.body).not.toContain('zz');
    const bad = await app.inject(as.operator('GET', '/v1/accounts/zz%E0%A4%A'));
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('bad_url');
    expect(bad.body).not.toContain('zz');
    await app.close();
  });

  it('answers oversized headers in the error shape over a real connection', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const answer = await new Promise<Awaited<ReturnType<typeof readWhole>>>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/healthz', headers: { 'x-big': 'b'.repeat(20_000) } },
        (res) => {
          readWhole(res).then(resolve, reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    const body: unknown = JSON.parse(answer.body.toString('utf8'));
    expect(isTypedError(body)).toBe(true);
    expect(body).toMatchObject({ error: { code: 'headers_too_large' } });
    await app.close();
  });

  it('does not count a wallet’s notification sockets against its requests', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const wallet = await insertWallet(platform.db);
    const sockets = [];
    for (let i = 0; i < MAX_IN_FLIGHT.wallet + 2; i++)
      sockets.push((await openNoticeSocket(platform, wallet, wallet.walletIdHex)).socket);
    const sync = await platform.app.inject(
      signed({
        kind: 'wallet',
        callerId: wallet.walletIdHex,
        key: wallet.key,
        method: 'POST',
        url: `/v1/wallets/${wallet.walletIdHex}/sync`,
        body: { lastSequence: 0 },
        time: platform.clock.now(),
      }),
    );
    expect(sync.statusCode).toBe(200);
    for (const socket of sockets) socket.terminate();
    await platform.app.close();
  });

  it('lets one caller have only a few requests in flight, and counts them down', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app, db, clock } = platform;
    const terminal = await insertTerminal(db);
    const url = '/v1/settlement/batches';
    const bytes = randomBytes(64);
    const upload = () => {
      const body = new PassThrough();
      const headers = signRequest({
        kind: 'terminal',
        callerId: terminal.terminalId,
        key: terminal.key,
        method: 'POST',
        target: url,
        time: clock.now(),
        body: bytes,
      });
      const response = app.inject({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.length),
        },
        payload: body,
      });
      return { body, response };
    };
    const limit = MAX_IN_FLIGHT.terminal;
    const uploads = Array.from({ length: limit + 1 }, upload);
    const first = await Promise.race(uploads.map((u) => u.response));
    expect(first.statusCode).toBe(429);
    expect(errorOf(first).code).toBe('too_many_in_flight');
    expect(first.headers['retry-after']).toBe('1');
    for (const u of uploads) u.body.end(bytes);
    const all: LightMyRequestResponse[] = await Promise.all(uploads.map((u) => u.response));
    // The admitted ones were read and checked (garbage: 400), the one over was not.
    expect(all.map((r) => r.statusCode).sort()).toEqual([
      ...Array.from({ length: limit }, () => 400),
      429,
    ]);
    const after = upload();
    after.body.end(bytes);
    expect((await after.response).statusCode).toBe(400);
    await app.close();
  });
});
