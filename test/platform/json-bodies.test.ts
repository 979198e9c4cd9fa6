/**
 * JSON bodies have one reading: UTF-8 without a BOM, no repeated keys, bounded nesting, and
 * strict schemas (every object a route accepts refuses keys it does not name, however
 * deep). Each is refused with one typed answer.
 */
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../protocol';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf, signed } from './support/requests';
import { callers } from './support/units';

describe.each(backends())('JSON bodies on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('refuses a BOM, bad UTF-8, repeated keys and a charset other than UTF-8', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const as = await callers(platform);
    const good = '{"accountId":"json-1","name":"J","password":"long enough pw"}';
    const post = (payload: string | Buffer, contentType = 'application/json') => {
      const request = as.operator('POST', '/v1/accounts');
      return app.inject({
        ...request,
        headers: { ...request.headers, 'content-type': contentType },
        payload,
      });
    };
    const cases: [string, string | Buffer, string, number, string][] = [
      [
        'BOM',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]),
        'application/json',
        400,
        'malformed_json',
      ],
      [
        'bad UTF-8',
        Buffer.from([
          ...Buffer.from('{"accountId":"json-1","name":"'),
          0xff,
          ...Buffer.from('","password":"long enough pw"}'),
        ]),
        'application/json',
        400,
        'malformed_json',
      ],
      [
        'repeated key',
        '{"accountId":"json-1","name":"J","name":"K","password":"long enough pw"}',
        'application/json',
        400,
        'malformed_json',
      ],
      [
        'repeated escaped key',
        '{"accountId":"json-1","name":"J","n\\u0061me":"K","password":"long enough pw"}',
        'application/json',
        400,
        'malformed_json',
      ],
      ['utf-16 charset', good, 'application/json; charset=utf-16', 415, 'unsupported_media_type'],
      [
        'latin1 charset',
        good,
        'application/json;charset="iso-8859-1"',
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [what, payload, type, status, code] of cases) {
      const response = await post(payload, type);
      expect(`${what}: ${response.statusCode} ${errorOf(response).code}`).toBe(
        `${what}: ${status} ${code}`,
      );
    }
    const accepted = await post(good, 'application/json; charset=UTF-8');
    expect(accepted.statusCode).toBe(201);
    // The same key in two objects is not a repeat.
    const nested = await post(
      '{"accountId":"json-2","name":"J","password":"long enough pw","idNumber":"x"}',
    );
    expect(nested.statusCode).toBe(201);
    await app.close();
  });

  it('refuses unknown keys, at any depth, and nesting past the bound', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app, db, clock } = platform;
    const as = await callers(platform);
    const wallet = await insertWallet(db);
    const asWallet = (url: string, body: unknown) =>
      signed({
        kind: 'wallet',
        callerId: wallet.walletIdHex,
        key: wallet.key,
        method: 'POST',
        url,
        body,
        time: clock.now(),
      });
    const sync = `/v1/wallets/${wallet.walletIdHex}/sync`;

    const extra = await app.inject(asWallet(sync, { lastSequence: 0, extra: 1 }));
    expect(extra.statusCode).toBe(400);
    expect(errorOf(extra)).toMatchObject({ code: 'invalid_request', field: 'extra' });

    // Built as text: JSON.stringify itself would overflow the stack on 400,000 levels.
    const deepText = `{"lastSequence":0,"extra":${'['.repeat(400_000)}1${']'.repeat(400_000)}}`;
    const deepExtra = await app.inject({
      method: 'POST',
      url: sync,
      headers: {
        ...signRequest({
          kind: 'wallet',
          callerId: wallet.walletIdHex,
          key: wallet.key,
          method: 'POST',
          target: sync,
          time: clock.now(),
          body: deepText,
        }),
        'content-type': 'application/json',
      },
      payload: deepText,
    });
    expect(deepExtra.statusCode).toBe(400);
    expect(errorOf(deepExtra).code).toBe('malformed_json');

    const nestedExtra = await app.inject(
      asWallet(`/v1/wallets/${wallet.walletIdHex}/unlock`, {
        imei: '123456789012345',
        imsi: '123456',
        registration: { accountId: wallet.accountId, password: 'whatever pw', pin: '1234' },
      }),
    );
    expect(nestedExtra.statusCode).toBe(400);
    expect(errorOf(nestedExtra)).toMatchObject({
      code: 'invalid_request',
      field: 'registration.pin',
    });

    const query = await app.inject(as.operator('GET', '/v1/settlement/status?terminalId=T-1&x=1'));
    expect(query.statusCode).toBe(400);
    expect(errorOf(query)).toMatchObject({ code: 'invalid_request', field: 'querystring.x' });
    await app.close();
  });
});
