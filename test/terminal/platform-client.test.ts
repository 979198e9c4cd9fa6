/**
 * The terminal's platform client against the real platform (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set): enrollment, its signed calls, and each failure typed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, Hotlist, TerminalCertificate, type SigningKey } from '../../protocol';
import { createPlatformClient, type PlatformClient } from '../../main/terminal/platform-client';
import { TerminalError } from '../../main/terminal/errors';
import { backends } from '../platform/support/databases';
import { startTestPlatform, type TestPlatform } from './support/platform';

async function refusal(promise: Promise<unknown>): Promise<TerminalError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TerminalError);
  return error as TerminalError;
}

/** A server answering every request with `handler`, on a free port of 127.0.0.1. */
async function fakePlatform(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(backends())('the terminal platform client on %s', (backend) => {
  let platform: TestPlatform;
  let key: SigningKey;
  let client: PlatformClient;
  let terminalId: string | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform(backend);
    key = generateSigningKey();
    client = createPlatformClient({
      baseUrl: platform.url,
      clock: platform.clock,
      credentials: () => (terminalId === undefined ? undefined : { terminalId, key }),
    });
  });
  afterAll(() => platform.close());

  it('refuses signed calls before enrollment, then enrolls and makes them', async () => {
    expect((await refusal(client.terminalInfo())).code).toBe('not_enrolled');
    const code = await platform.enrollmentCode('T-CLIENT');
    const enrolled = await client.enroll(code, key.publicKey);
    expect(enrolled).toMatchObject({ merchantId: 'M-0001', terminalId: 'T-CLIENT' });
    const certificate = TerminalCertificate.decode(enrolled.certificate);
    expect(Buffer.from(certificate.value.terminalPublicKey)).toEqual(Buffer.from(key.publicKey));
    terminalId = enrolled.terminalId;

    const info = await client.terminalInfo();
    expect(info.status).toBe('active');
    expect(info.trustKeys.length).toBeGreaterThan(0);
    const renewed = await client.renewCertificate();
    expect(renewed.serial).toBeGreaterThan(certificate.value.serial);
    const full = Hotlist.decode(await client.hotlistFull());
    expect(full.value.kind).toBe('full');
    const delta = Hotlist.decode(await client.hotlistDelta(full.value.hotlistVersion));
    expect(delta.value.hotlistVersion).toBe(full.value.hotlistVersion);
  });

  it("reports a refusal with the platform's code", async () => {
    const used = await refusal(client.enroll('not-a-real-code', generateSigningKey().publicKey));
    expect(used.code).toBe('refused');
    expect(used.details).toMatchObject({ status: 400, platformCode: 'enrollment_code_invalid' });
    const batch = await refusal(client.uploadBatch(new Uint8Array([1, 2, 3])));
    expect(batch.code).toBe('refused');
    expect(batch.details?.status).toBe(400);
  });

  it('retries once with the offset after clock_skew, and keeps it', async () => {
    const skewed = createPlatformClient({
      baseUrl: platform.url,
      clock: { now: () => platform.clock.now() - 3_600 },
      credentials: () => (terminalId === undefined ? undefined : { terminalId, key }),
    });
    expect((await skewed.terminalInfo()).terminalId).toBe('T-CLIENT');
    expect((await skewed.terminalInfo()).terminalId).toBe('T-CLIENT');
  });
});

describe('the terminal platform client when the platform misbehaves', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const clock = { now: () => 1_800_000_000 };
  const credentials = () => ({ terminalId: 'T-1', key: generateSigningKey() });

  it('network: nobody listens', async () => {
    const { url, server } = await fakePlatform(() => undefined);
    await new Promise((r) => server.close(r));
    const client = createPlatformClient({ baseUrl: url, clock, credentials });
    expect((await refusal(client.hotlistFull())).code).toBe('network');
  });

  it('timeout: no answer in time', async () => {
    const { url, server } = await fakePlatform(() => undefined); // never answers
    servers.push(server);
    const client = createPlatformClient({ baseUrl: url, clock, credentials, timeoutMs: 100 });
    expect((await refusal(client.terminalInfo())).code).toBe('timeout');
    server.closeAllConnections();
  });

  it.each([
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
  ])('status %i is %s', async (status, code) => {
    const { url, server } = await fakePlatform((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { code: 'x', message: 'no' } }));
    });
    servers.push(server);
    const error = await refusal(
      createPlatformClient({ baseUrl: url, clock, credentials }).hotlistFull(),
    );
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ status, platformCode: 'x', retryAfterSeconds: 7 });
  });

  it('bad_response: wrong JSON shape, or JSON where bytes are due', async () => {
    const { url, server } = await fakePlatform((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ terminalId: 'T-1' }));
    });
    servers.push(server);
    const client = createPlatformClient({ baseUrl: url, clock, credentials });
    expect((await refusal(client.terminalInfo())).code).toBe('bad_response');
    expect((await refusal(client.hotlistFull())).code).toBe('bad_response');
  });
});
