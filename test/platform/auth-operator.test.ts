import { describe, expect, it } from 'vitest';
import { createOperatorToken, revokeOperatorToken } from '../../platform/auth/operator-tokens';
import { platformMigrations } from '../../platform/db/migrations';
import { backends, useTestDatabases } from './support/databases';
import { T0, testPlatform } from './support/platform';
import { errorOf } from './support/requests';

const body = { note: 'hi', amount: 5 };

describe.each(backends())('operator authentication on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('refuses a missing, malformed, wrong or revoked token and accepts the right one', async () => {
    const lines: string[] = [];
    const { app, db } = await testPlatform(await databases.fresh(), {
      logger: { level: 'trace', stream: { write: (line) => void lines.push(line) } },
    });
    const { token, tokenId } = await createOperatorToken(db, { label: 'ops', at: T0 });
    const call = (authorization?: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/probe/operator',
        headers: authorization === undefined ? {} : { authorization },
        payload: body,
      });

    const missing = await call();
    expect(missing.statusCode).toBe(401);
    expect(errorOf(missing).code).toBe('credentials_missing');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);

    expect(errorOf(await call(`Basic ${token}`)).code).toBe('credentials_malformed');
    expect(errorOf(await call('Bearer not-a-token')).code).toBe('token_invalid');
    const wrongSecret = `${token.slice(0, -4)}AAAA`;
    expect((await call(`Bearer ${wrongSecret}`)).statusCode).toBe(401);
    const unknownId = token.replace(tokenId, '0123456789abcdef');
    expect(errorOf(await call(`Bearer ${unknownId}`)).code).toBe('token_invalid');

    const ok = await call(`Bearer ${token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ caller: { kind: 'operator', tokenId, label: 'ops' }, body });
    const whoami = await app.inject({
      url: '/v1/operator/whoami',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(whoami.json()).toEqual({ tokenId, label: 'ops' });

    await app.inject({
      url: '/v1/probe/log-headers',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(lines.some((line) => line.includes('"authorization":"[redacted]"'))).toBe(true);

    await revokeOperatorToken(db, tokenId, T0 + 1);
    expect(errorOf(await call(`Bearer ${token}`)).code).toBe('token_invalid');

    // Only the hash is stored, and the token never reaches the log.
    const stored = await db.selectFrom('operator_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[2]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(token.split('.')[2]);
    await app.close();
  });

  it('authenticates before validating, so an anonymous caller learns nothing of the schema', async () => {
    const { app } = await testPlatform(await databases.fresh());
    const response = await app.inject({
      method: 'POST',
      url: '/v1/probe/operator',
      payload: { wrong: true },
    });
    expect(response.statusCode).toBe(401);
    await app.close();
  });

  it('reports the platform status to operators only', async () => {
    const { app, db } = await testPlatform(await databases.fresh());
    const { token } = await createOperatorToken(db, { label: 'ops', at: T0 });
    expect((await app.inject({ url: '/v1/operator/status' })).statusCode).toBe(401);
    const status = await app.inject({
      url: '/v1/operator/status',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      database: { kind: backend },
      schemaVersion: platformMigrations().at(-1)?.name,
      counts: { operatorTokens: 1 },
    });
    expect(status.json<{ issuerKeys: unknown[] }>().issuerKeys).toHaveLength(1);
    await app.close();
  });
});
