import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { probeUnit } from './support/probe-unit';
import { T0, testPlatform } from './support/platform';
import { errorOf } from './support/requests';

describe.each(backends())('HTTP surface on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    const { token } = await createOperatorToken(platform.db, { label: 'ops', at: T0 });
    const auth = { authorization: `Bearer ${token}` };
    return { ...platform, auth };
  }

  it('answers health and OpenAPI without authentication', async () => {
    const { app } = await setup();
    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', time: T0 });
    const openapi = await app.inject({ url: '/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    const document = openapi.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; tags?: string[] }>>;
    }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/healthz']?.get?.security).toEqual([]);
    expect(document.paths['/v1/operator/whoami']?.get?.security).toEqual([{ operatorToken: [] }]);
    expect(document.paths['/v1/operator/whoami']?.get?.tags).toEqual(['operator']);
    expect(document.paths['/v1/probe/any']?.post?.security).toEqual([
      { walletSignature: [] },
      { terminalSignature: [] },
      { operatorToken: [] },
    ]);
    expect(document.paths['/openapi.json']).toBeUndefined();
    await app.close();
  });

  it('gives typed errors for unknown routes, bad JSON, empty JSON, wrong media type and bad fields', async () => {
    const { app, auth } = await setup();
    const post = (payload: string, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/v1/probe/operator',
        headers: { ...auth, 'content-type': contentType },
        payload,
      });

    const missing = await app.inject({ url: '/v1/nothing/here?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /v1/nothing/here' },
    });

    const malformed = await post('{"note": "x", ');
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).code).toBe('malformed_json');
    expect(errorOf(await post('')).code).toBe('malformed_json');
    const proto = await post('{"__proto__": {"admin": true}, "note": "x", "amount": 1}');
    expect(proto.statusCode).toBe(400);

    const text = await post('note=x', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(errorOf(text).code).toBe('unsupported_media_type');

    const invalid = await post(JSON.stringify({ note: 'x', amount: -3 }));
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ code: 'invalid_request', field: 'amount' });
    const tooLong = await post(JSON.stringify({ note: 'x'.repeat(21), amount: 3 }));
    expect(errorOf(tooLong)).toMatchObject({ code: 'invalid_request', field: 'note' });
    await app.close();
  });

  it('refuses a body over the limit with 413 and accepts bytes where a route takes them', async () => {
    const { app, auth } = await setup();
    const big = await app.inject({
      method: 'POST',
      url: '/v1/probe/operator',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ note: 'x', amount: 1, pad: 'y'.repeat(1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).code).toBe('body_too_large');
    const bytes = await app.inject({
      method: 'POST',
      url: '/v1/probe/bytes',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(1000, 7),
    });
    expect(bytes.json()).toEqual({ length: 1000 });
    await app.close();
  });

  it('hides internal errors, and types protocol and constraint errors', async () => {
    const { app, auth } = await setup();
    const crash = await app.inject({ url: '/v1/probe/crash' });
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(crash.body).not.toContain('secret internal detail');
    const protocol = await app.inject({ url: '/v1/probe/protocol-error' });
    expect(protocol.statusCode).toBe(400);
    expect(errorOf(protocol)).toMatchObject({
      code: 'protocol_bad_value',
      field: 'paymentRecord.amount',
    });
    const duplicate = await app.inject({
      method: 'POST',
      url: '/v1/probe/duplicate-merchant',
      headers: auth,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(errorOf(duplicate).code).toBe('conflict');
    await app.close();
  });

  it('refuses to start with a route that declares no auth policy', async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
    const careless: FastifyPluginAsyncZod = async (app) => {
      app.get('/careless', { schema: { response: { 200: z.object({}) } } }, () => ({}));
    };
    const db = await databases.fresh();
    await expect(
      testPlatform(db, {
        units: [...UNITS, probeUnit, { name: 'careless', migrations: [], routes: careless }],
      }),
    ).rejects.toThrow(/declares no config.auth/);
  });
});
