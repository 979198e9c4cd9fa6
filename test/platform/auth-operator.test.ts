import { describe, expect, it } from 'vitest';
import {
  createOperatorToken,
  issueBootstrapToken,
  revokeOperatorToken,
} from '../../platform/auth/operator-tokens';
import { platformMigrations } from '../../platform/db/migrations';
import { UNITS } from '../../platform/units';
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
    expect(ok.json()).toEqual({
      caller: { kind: 'operator', tokenId, label: 'ops', scope: 'operator' },
      body,
    });
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

  it('admits the bootstrap token once, to create the first operator token only', async () => {
    const { app, db, clock } = await testPlatform(await databases.fresh());
    const bootstrap = await issueBootstrapToken(db, clock.now());
    if (bootstrap === undefined) throw new Error('an empty database gets a bootstrap token');
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const create = (token: string, label = 'alice') =>
      app.inject({
        method: 'POST',
        url: '/v1/operator/tokens',
        headers: as(token),
        payload: { label },
      });

    // Nothing else: not even whoami, nor revoking.
    const limited = await app.inject({ url: '/v1/operator/whoami', headers: as(bootstrap.token) });
    expect([limited.statusCode, errorOf(limited).code]).toEqual([403, 'bootstrap_token_limited']);
    expect(errorOf(await create(bootstrap.token, '  ')).code).toBe('invalid_request');

    const created = await create(bootstrap.token);
    expect(created.statusCode).toBe(201);
    const first = created.json<{ tokenId: string; label: string; token: string }>();
    expect(first.label).toBe('alice');
    expect(first.token).toMatch(new RegExp(`^tsop\\.${first.tokenId}\\.`));
    // Used up.
    const again = await create(bootstrap.token, 'mallory');
    expect([again.statusCode, errorOf(again).code]).toEqual([401, 'token_invalid']);

    // The operator token works, makes more and revokes; the bootstrap one cannot be revoked
    // as an operator token.
    const whoami = await app.inject({ url: '/v1/operator/whoami', headers: as(first.token) });
    expect(whoami.json()).toEqual({ tokenId: first.tokenId, label: 'alice' });
    const second = (await create(first.token, 'bob')).json<{ tokenId: string }>();
    const revoke = (tokenId: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/operator/tokens/${tokenId}/revoke`,
        headers: as(first.token),
        payload: {},
      });
    expect((await revoke(second.tokenId)).json()).toEqual({
      tokenId: second.tokenId,
      revokedAt: clock.now(),
    });
    expect(errorOf(await revoke(second.tokenId)).code).toBe('operator_token_not_found');
    expect(errorOf(await revoke(bootstrap.tokenId)).code).toBe('operator_token_not_found');

    // While a live operator token exists, a start issues none.
    expect(await issueBootstrapToken(db, clock.now())).toBeUndefined();
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', 'like', 'operator_token.%')
      .execute();
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: 'operator_token.create', actor_id: bootstrap.tokenId },
        { action: 'operator_token.revoke', actor_id: first.tokenId },
      ]),
    );
    await app.close();
  });

  it('issues a new bootstrap token at each start until an operator token exists', async () => {
    const { app, db, clock } = await testPlatform(await databases.fresh());
    const earlier = await issueBootstrapToken(db, clock.now());
    const later = await issueBootstrapToken(db, clock.now());
    expect(later?.tokenId).not.toBe(earlier?.tokenId);
    const createWith = (token = '') =>
      app.inject({
        method: 'POST',
        url: '/v1/operator/tokens',
        headers: { authorization: `Bearer ${token}` },
        payload: { label: 'x' },
      });
    expect(errorOf(await createWith(earlier?.token)).code).toBe('token_invalid');

    // A token made directly (the CLI with the server stopped) ends the bootstrap too, and
    // with every operator token revoked the next start issues one again.
    const direct = await createOperatorToken(db, { label: 'direct', at: clock.now() });
    expect(errorOf(await createWith(later?.token)).code).toBe('token_invalid');
    expect(await issueBootstrapToken(db, clock.now())).toBeUndefined();
    await revokeOperatorToken(db, direct.tokenId, clock.now());
    expect(await issueBootstrapToken(db, clock.now())).toBeDefined();
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
      schemaVersion: platformMigrations(UNITS).at(-1)?.name,
      counts: { operatorTokens: 1 },
    });
    expect(status.json<{ issuerKeys: unknown[] }>().issuerKeys).toHaveLength(1);
    await app.close();
  });
});
