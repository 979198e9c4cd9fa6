/** The HTTP platform client's failure modes: every one a typed PlatformRequestError. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, signRequest } from '../../protocol';
import { HttpPlatformLink, PlatformRequestError, SimulatedClock } from '../../handset';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

/** A server answering with `handler`; resolves with its base URL. */
async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; seen: { headers: Record<string, unknown>; url: string }[] }> {
  const seen: { headers: Record<string, unknown>; url: string }[] = [];
  const server = createServer((request, response) => {
    seen.push({ headers: request.headers, url: request.url ?? '' });
    handler?.(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const key = generateSigningKey();
const walletId = new Uint8Array(16).fill(7);
const signer = {
  signPlatformRequest: (r: { method: string; target: string; body?: string; time: number }) =>
    signRequest({ kind: 'wallet', callerId: Buffer.from(walletId).toString('hex'), key, ...r }),
};
const syncRequest = { walletId, imei: '490154203237518', imsi: '310150123456789', lastSequence: 0 };

describe('HttpPlatformLink', () => {
  it('maps refusals to typed errors with the platform code, status and Retry-After', async () => {
    const { url } = await serve((request, response) => {
      const status = request.url?.includes('unlock') ? 429 : 403;
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '42' });
      response.end(
        JSON.stringify({
          error: { code: status === 429 ? 'rate_limited' : 'wallet_revoked', message: 'no' },
        }),
      );
    });
    const link = new HttpPlatformLink({ baseUrl: url, signer });
    const refused = link.sync(syncRequest);
    await expect(refused).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(refused).rejects.toMatchObject({
      code: 'refused',
      status: 403,
      platformCode: 'wallet_revoked',
    });
    await expect(
      link.unlock({ ...syncRequest, registration: { accountId: 'a', password: 'p' } }),
    ).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 42 } });
  });

  it('reports 5xx, non-JSON answers, unreachable hosts and timeouts', async () => {
    const broken = await serve((_request, response) => {
      response.writeHead(502);
      response.end('<html>bad gateway</html>');
    });
    await expect(
      new HttpPlatformLink({ baseUrl: broken.url, signer }).sync(syncRequest),
    ).rejects.toMatchObject({
      code: 'bad_response',
    });
    const failing = await serve((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
    });
    await expect(
      new HttpPlatformLink({ baseUrl: failing.url, signer }).sync(syncRequest),
    ).rejects.toMatchObject({
      code: 'server_error',
      platformCode: 'internal',
    });
    const silent = await serve(() => undefined);
    await expect(
      new HttpPlatformLink({ baseUrl: silent.url, signer, timeoutMs: 200 }).sync(syncRequest),
    ).rejects.toMatchObject({ code: 'timeout' });
    const closed = await serve(() => undefined);
    const closedUrl = closed.url;
    await new Promise((resolve) =>
      servers.splice(0).forEach((s) => s.close(resolve).closeAllConnections()),
    );
    await expect(
      new HttpPlatformLink({ baseUrl: closedUrl, signer }).sync(syncRequest),
    ).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('signs wallet requests, refuses to send when it cannot sign, and corrects clock skew once', async () => {
    const clock = new SimulatedClock(1_000_000);
    let first = true;
    const { url, seen } = await serve((_request, response) => {
      if (first) {
        first = false;
        response.writeHead(401, {
          'content-type': 'application/json',
          'x-tapsafe-server-time': '1000500',
        });
        response.end(JSON.stringify({ error: { code: 'clock_skew', message: 'skew' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ notifications: [] }));
    });
    const link = new HttpPlatformLink({ baseUrl: url, clock });
    await expect(link.sync(syncRequest)).rejects.toMatchObject({ code: 'cannot_sign' });
    expect(seen).toHaveLength(0);
    link.attach({ signPlatformRequest: () => undefined });
    await expect(link.sync(syncRequest)).rejects.toMatchObject({ code: 'cannot_sign' });
    link.attach(signer);
    await expect(link.sync(syncRequest)).resolves.toEqual({ notifications: [] });
    expect(seen.map((s) => s.headers['x-tapsafe-time'])).toEqual(['1000000', '1000500']);
    expect(seen[1]?.url).toBe(`/v1/wallets/${'07'.repeat(16)}/sync`);
  });
});
