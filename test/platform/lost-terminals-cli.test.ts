/** report-lost, create-enrollment-code, suspend / resume-terminal and release-hold through the API. */
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { useCliPlatform } from './support/cli';

const cli = useCliPlatform();
const run = (...argv: string[]) => cli.run(...argv);

const post = async (path: string, body: unknown) => {
  const response = await fetch(new URL(path, cli.platform().url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('lost, terminals and migration CLI', () => {
  it('reports an activated phone lost by account, once', async () => {
    process.env.TAPSAFE_USER_PASSWORD = 'yan secret password';
    try {
      expect(
        (await run('add-user', '--account', 'yan', '--name', 'Yan', '--balance', '900')).code,
      ).toBe(0);
    } finally {
      delete process.env.TAPSAFE_USER_PASSWORD;
    }
    const activated = await post('/v1/activations', {
      imei: '490154203237518',
      imsi: '310150123456789',
      walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
      registration: { accountId: 'yan', password: 'yan secret password' },
    });
    expect(activated.status).toBe(201);
    expect((await run('report-lost')).code).toBe(2);
    const lost = await run('report-lost', '--account', 'yan');
    expect(lost.code).toBe(0);
    expect(JSON.parse(lost.out)).toMatchObject({
      walletId: activated.body.walletId,
      reason: 'lost',
      notices: [{ type: 'lock' }, { type: 'wipe' }],
    });
    const again = await run('report-lost', '--wallet', String(activated.body.walletId));
    expect([again.code, again.err]).toEqual([
      1,
      expect.stringMatching(/409 wallet_already_revoked/),
    ]);
    expect((await run('release-hold', '--wallet', String(activated.body.walletId))).err).toMatch(
      /404 unknown_migration/,
    );
  });

  it('creates an enrollment code the terminal uses once; suspends and resumes the terminal', async () => {
    const created = await run(
      'create-enrollment-code',
      '--merchant',
      'cafe',
      '--terminal',
      'till-1',
    );
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^tsen(-[0-9A-Z]{5}){4}$/);
    const key = Buffer.from(generateSigningKey().publicKey).toString('hex');
    const enrolled = await post('/v1/terminals/enroll', { code: created.out, publicKey: key });
    expect(enrolled).toMatchObject({
      status: 201,
      body: { merchantId: 'cafe', terminalId: 'till-1' },
    });
    expect((await post('/v1/terminals/enroll', { code: created.out, publicKey: key })).status).toBe(
      409,
    );
    expect(JSON.parse((await run('suspend-terminal', '--terminal', 'till-1')).out)).toEqual({
      terminalId: 'till-1',
      status: 'suspended',
    });
    expect((await run('suspend-terminal', '--terminal', 'till-1')).err).toMatch(
      /409 terminal_already_suspended/,
    );
    expect(JSON.parse((await run('resume-terminal', '--terminal', 'till-1')).out)).toMatchObject({
      status: 'active',
    });
    expect((await run('create-enrollment-code', '--merchant', 'cafe')).code).toBe(2);
  });
});
