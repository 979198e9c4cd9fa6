import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { DEFAULT_TERMINAL_PARAMS } from '../../platform/terminals/surface';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(backends())('terminal enrollment on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    const as = await callers(platform);
    const createCode = async (body: Record<string, unknown> = {}) => {
      const response = await platform.app.inject(
        as.operator('POST', '/v1/enrollment-codes', {
          merchantId: 'M1',
          terminalId: 'T1',
          ...body,
        }),
      );
      expect(response.statusCode).toBe(201);
      return response.json<{ code: string; expiresAt: number }>();
    };
    const enroll = (code: string, key = generateSigningKey(), remoteAddress = '10.0.0.1') =>
      platform.app.inject({
        ...as.anonymous('POST', '/v1/terminals/enroll', { code, publicKey: hex(key.publicKey) }),
        remoteAddress,
      });
    return { ...platform, as, createCode, enroll };
  }

  it('enrolls with a code once: merchant, terminal, trust keys and parameters', async () => {
    const { app, db, keys, as, createCode, enroll } = await setup();
    const { code } = await createCode({ parameters: { limitPerPayment: 1_000 } });
    expect(code).toMatch(/^tsen(-[0-9A-Z]{5}){4}$/);
    const key = generateSigningKey();
    const response = await enroll(code.toLowerCase(), key);
    expect(response.statusCode).toBe(201);
    const active = await keys.activeIssuer();
    expect(response.json()).toMatchObject({
      merchantId: 'M1',
      terminalId: 'T1',
      parameters: { ...DEFAULT_TERMINAL_PARAMS, limitPerPayment: 1_000 },
      trustKeys: [{ keyId: active.keyIdHex, publicKey: hex(active.publicKey) }],
    });
    const row = await db
      .selectFrom('terminals')
      .selectAll()
      .where('terminal_id', '=', 'T1')
      .executeTakeFirstOrThrow();
    expect(hex(row.public_key)).toBe(hex(key.publicKey));
    const stored = await db.selectFrom('enrollment_codes').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code.slice(5, 10));
    const again = await enroll(code);
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'enrollment_code_used']);
    const dup = await app.inject(
      as.operator('POST', '/v1/enrollment-codes', { merchantId: 'M1', terminalId: 'T1' }),
    );
    expect([dup.statusCode, errorOf(dup).code]).toEqual([409, 'terminal_exists']);
    await app.close();
  });

  it('refuses an expired code, an unknown code and a bad key, changing nothing', async () => {
    const { app, db, clock, createCode, enroll } = await setup();
    const { code } = await createCode({ ttlSeconds: 600 });
    clock.advance(601);
    const expired = await enroll(code);
    expect([expired.statusCode, errorOf(expired).code]).toEqual([410, 'enrollment_code_expired']);
    const unknown = await enroll('tsen-AAAAA-AAAAA-AAAAA-AAAAA');
    expect([unknown.statusCode, errorOf(unknown).code]).toEqual([400, 'enrollment_code_invalid']);
    const fresh = await createCode({ terminalId: 'T2' });
    const badKey = await app.inject({
      method: 'POST',
      url: '/v1/terminals/enroll',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code: fresh.code, publicKey: '05' + '11'.repeat(32) }),
    });
    expect([badKey.statusCode, errorOf(badKey).code]).toEqual([400, 'bad_public_key']);
    expect(await db.selectFrom('terminals').selectAll().execute()).toEqual([]);
    expect((await enroll(fresh.code)).statusCode).toBe(201);
    await app.close();
  });

  it('rate-limits failed code checks per address', async () => {
    const { app, createCode, enroll } = await setup();
    const { code } = await createCode();
    for (let i = 0; i < 10; i += 1) {
      expect(
        (await enroll(`tsen-BBBBB-BBBBB-BBBBB-BBBB${i}`, undefined, '10.9.9.9')).statusCode,
      ).toBe(400);
    }
    const limited = await enroll(code, undefined, '10.9.9.9');
    expect([limited.statusCode, errorOf(limited).code]).toEqual([429, 'rate_limited']);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await enroll(code, undefined, '10.1.1.1')).statusCode).toBe(201);
    await app.close();
  });

  it('suspends and resumes a terminal; a suspended one is refused on terminal routes', async () => {
    const { app, db, as } = await setup();
    const terminal = await insertTerminal(db);
    const suspend = await app.inject(
      as.operator('POST', `/v1/terminals/${terminal.terminalId}/suspend`, {}),
    );
    expect(suspend.json()).toEqual({ terminalId: terminal.terminalId, status: 'suspended' });
    const again = await app.inject(
      as.operator('POST', `/v1/terminals/${terminal.terminalId}/suspend`, {}),
    );
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'terminal_already_suspended']);
    const hotlist = await app.inject(as.terminal(terminal, 'GET', '/v1/hotlist'));
    expect([hotlist.statusCode, errorOf(hotlist).code]).toEqual([403, 'terminal_suspended']);
    const self = await app.inject(
      as.terminal(terminal, 'GET', `/v1/terminals/${terminal.terminalId}`),
    );
    expect(self.json()).toMatchObject({ status: 'suspended' });
    const resume = await app.inject(
      as.operator('POST', `/v1/terminals/${terminal.terminalId}/resume`, {}),
    );
    expect(resume.json()).toEqual({ terminalId: terminal.terminalId, status: 'active' });
    expect((await app.inject(as.terminal(terminal, 'GET', '/v1/hotlist'))).statusCode).toBe(200);
    const unknown = await app.inject(as.operator('POST', '/v1/terminals/nope/suspend', {}));
    expect([unknown.statusCode, errorOf(unknown).code]).toEqual([404, 'unknown_terminal']);
    await app.close();
  });

  it('creates merchants explicitly once', async () => {
    const { app, as } = await setup();
    const body = { merchantId: 'shop-1', name: 'Corner shop' };
    expect((await app.inject(as.operator('POST', '/v1/merchants', body))).statusCode).toBe(201);
    const dup = await app.inject(as.operator('POST', '/v1/merchants', body));
    expect([dup.statusCode, errorOf(dup).code]).toEqual([409, 'merchant_exists']);
    await app.close();
  });
});
