/**
 * Enrollment against the real platform (PGlite, and PostgreSQL with TEST_DATABASE_URL):
 * the happy path, every refusal with nothing stored, and a forged certificate from a fake
 * platform.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportScalar, generateSigningKey, keyIdOf, TerminalCertificate } from '../../../protocol';
import {
  createEnrollmentService,
  KEY_FILE_NAME,
  type EnrollmentService,
} from '../../../main/terminal/enrollment';
import { TerminalError } from '../../../main/terminal/errors';
import { backends } from '../../platform/support/databases';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { terminalFiles, type TerminalFiles } from '../support/terminal';

async function refusal(promise: Promise<unknown>): Promise<TerminalError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TerminalError);
  return error as TerminalError;
}

const opened: TerminalFiles[] = [];
afterEach(() => {
  for (const files of opened.splice(0)) files.close();
});

function newTerminal(clock: { now(): number }) {
  const files = terminalFiles();
  opened.push(files);
  const service = createEnrollmentService({ store: files.store, dataDir: files.dir, clock });
  return { files, service };
}

function expectNothingStored(files: TerminalFiles, service: EnrollmentService) {
  expect(service.status()).toEqual({ state: 'unenrolled' });
  expect(files.store.identity()).toBeUndefined();
  expect(existsSync(join(files.dir, KEY_FILE_NAME))).toBe(false);
}

describe.each(backends())('enrollment on %s', (backend) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
  });
  afterAll(() => platform.close());

  it('enrolls: identity, trust keys, parameters, a valid certificate for its own key', async () => {
    const { files, service } = newTerminal(platform.clock);
    const events: unknown[] = [];
    const published = createEnrollmentService({
      store: files.store,
      dataDir: files.dir,
      clock: platform.clock,
      publish: (event, payload) => events.push({ event, payload }),
    });
    const code = await platform.enrollmentCode('T-ENROLL-1', {
      parameters: { hotlistMaxAgeSeconds: 7200 },
    });
    const status = await published.enroll({ platformUrl: platform.url, code });
    expect(status).toMatchObject({
      state: 'enrolled',
      merchantId: 'M-0001',
      terminalId: 'T-ENROLL-1',
      suspended: false,
      keyProtection: 'file',
      certificate: { valid: true },
    });
    expect(events).toEqual([{ event: 'enrollment.status', payload: status }]);
    expect(service.status()).toEqual(status);
    expect(files.store.identity()?.parameters.hotlistMaxAgeSeconds).toBe(7200);
    expect(files.store.trustKeys().length).toBeGreaterThan(0);

    const identity = service.identity()!;
    expect(Buffer.from(identity.certificate.value.terminalPublicKey)).toEqual(
      Buffer.from(identity.signer.publicKey),
    );
    // The certificate verifies under a stored trust key.
    const trust = files.store
      .trustKeys()
      .find((k) => Buffer.from(k.keyId).equals(identity.certificate.value.issuerKeyId))!;
    expect(() => TerminalCertificate.verify(identity.certificate, trust.publicKey)).not.toThrow();

    // The key: a 0600 file of its own, and nowhere in the ledger files.
    const keyPath = join(files.dir, KEY_FILE_NAME);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const scalar = Buffer.from(exportScalar(identity.signer));
    for (const name of readdirSync(files.dir).filter((n) => n.startsWith('ledger.db'))) {
      expect(readFileSync(join(files.dir, name)).includes(scalar)).toBe(false);
    }
    // Signed requests work with the stored key.
    expect((await service.platform().terminalInfo()).status).toBe('active');

    // A second enrollment of the same ledger is refused before any call.
    const again = await refusal(service.enroll({ platformUrl: platform.url, code }));
    expect(again.code).toBe('already_enrolled');
  });

  it.each([
    ['invalid', 400, 'enrollment_code_invalid'],
    ['used', 409, 'enrollment_code_used'],
    ['expired', 410, 'enrollment_code_expired'],
  ] as const)(
    'a %s code is refused with its code, nothing stored',
    async (kind, status, platformCode) => {
      let code = 'no-such-code-here';
      if (kind === 'used') {
        code = await platform.enrollmentCode('T-USED');
        await newTerminal(platform.clock).service.enroll({ platformUrl: platform.url, code });
      }
      if (kind === 'expired') {
        code = await platform.enrollmentCode('T-EXPIRED', { ttlSeconds: 60 });
        platform.clock.advance(61);
      }
      const { files, service } = newTerminal(platform.clock);
      const error = await refusal(service.enroll({ platformUrl: platform.url, code }));
      expect(error.code).toBe('refused');
      expect(error.details).toMatchObject({ status, platformCode });
      expectNothingStored(files, service);
    },
  );

  it('refuses impossible input before calling anyone', async () => {
    const { files, service } = newTerminal(platform.clock);
    for (const input of [
      { platformUrl: 'ftp://example.org', code: 'abcdefgh1234' },
      { platformUrl: platform.url, code: 'short' },
    ]) {
      expect((await refusal(service.enroll(input))).code).toBe('bad_value');
    }
    expectNothingStored(files, service);
  });
});

describe('enrollment against a platform that lies or is down', () => {
  const issuer = generateSigningKey();
  const stranger = generateSigningKey();
  let answer: (publicKeyHex: string) => unknown = () => ({});
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { publicKey } = JSON.parse(body) as { publicKey: string };
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer(publicKey)));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  const now = 1_800_000_000;
  const clock = { now: () => now };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  const enrolled = (certificate: Uint8Array) => ({
    merchantId: 'M-1',
    terminalId: 'T-1',
    enrolledAt: now,
    certificate: hex(certificate),
    trustKeys: [
      { keyId: hex(keyIdOf(issuer.publicKey)), publicKey: hex(issuer.publicKey), retiredAt: null },
    ],
    parameters: {
      currency: 978,
      limitPerPayment: 5000,
      limitOfflineAmount: 20000,
      limitOfflineCount: 20,
      freshnessMaxAgeSeconds: 604800,
      hotlistMaxAgeSeconds: 86400,
      settlement: { periodSeconds: 86400, uploadWithinSeconds: 21600 },
    },
  });
  const certificate = (signer: typeof issuer, publicKeyHex: string, terminalId = 'T-1') =>
    TerminalCertificate.sign(
      {
        serial: 1,
        merchantId: 'M-1',
        terminalId,
        terminalPublicKey: Buffer.from(publicKeyHex, 'hex'),
        issuerKeyId: keyIdOf(issuer.publicKey),
        validFrom: now - 300,
        validUntil: now + 30 * 86_400,
      },
      signer,
    ).encoded;

  it.each([
    ['signed by a key it was not told to trust', (pk: string) => certificate(stranger, pk)],
    ['for another public key', () => certificate(issuer, hex(stranger.publicKey))],
    ['naming another terminal', (pk: string) => certificate(issuer, pk, 'T-2')],
    ['that is not a certificate', () => Uint8Array.of(0xf0, 0x00)],
  ])('refuses a certificate %s, storing nothing', async (_what, forge) => {
    answer = (pk) => enrolled(forge(pk));
    const { files, service } = newTerminal(clock);
    const error = await refusal(service.enroll({ platformUrl: url, code: 'abcdefgh1234' }));
    expect(error.code).toBe('certificate_invalid');
    expectNothingStored(files, service);
  });

  it('accepts the same answer honestly signed (the fake is faithful)', async () => {
    answer = (pk) => enrolled(certificate(issuer, pk));
    const { service } = newTerminal(clock);
    expect((await service.enroll({ platformUrl: url, code: 'abcdefgh1234' })).state).toBe(
      'enrolled',
    );
  });

  it('platform down: a network error, nothing stored', async () => {
    const { files, service } = newTerminal(clock);
    const error = await refusal(
      service.enroll({ platformUrl: 'http://127.0.0.1:1', code: 'abcdefgh1234' }),
    );
    expect(error.code).toBe('network');
    expectNothingStored(files, service);
  });
});
