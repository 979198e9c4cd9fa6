/**
 * Authorization matrix of the lost, terminals and migration units: each route against an
 * anonymous caller, an operator, a wallet, its own terminal and another terminal.
 */
import { describe, expect, it } from 'vitest';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { testPlatform } from './support/platform';
import { callers } from './support/units';

type Role = 'anonymous' | 'operator' | 'wallet' | 'terminal' | 'otherTerminal';
const ROLES: readonly Role[] = ['anonymous', 'operator', 'wallet', 'terminal', 'otherTerminal'];

describe.each(backends())(
  'authorization of lost, terminals and migration routes on %s',
  (backend) => {
    const databases = useTestDatabases(backend);

    it('answers 401 to anonymous callers, 403 to other roles, and serves the allowed ones', async () => {
      const platform = await testPlatform(await databases.fresh());
      const { app, db } = platform;
      const as = await callers(platform);
      const wallet = await insertWallet(db);
      const terminal = await insertTerminal(db);
      const other = await insertTerminal(db);
      const t = terminal.terminalId;
      const routes: {
        method: 'GET' | 'POST';
        url: string;
        body?: unknown;
        allowed: readonly Role[];
      }[] = [
        {
          method: 'POST',
          url: '/v1/lost-reports',
          body: { walletId: '00'.repeat(16) },
          allowed: ['operator'],
        },
        { method: 'GET', url: '/v1/hotlist', allowed: ['terminal', 'otherTerminal'] },
        { method: 'GET', url: '/v1/hotlist/delta?since=0', allowed: ['terminal', 'otherTerminal'] },
        {
          method: 'POST',
          url: '/v1/merchants',
          body: { merchantId: 'Mx', name: 'x' },
          allowed: ['operator'],
        },
        {
          method: 'POST',
          url: '/v1/enrollment-codes',
          body: { merchantId: 'Mx', terminalId: 'Tx' },
          allowed: ['operator'],
        },
        { method: 'GET', url: `/v1/terminals/${t}`, allowed: ['operator', 'terminal'] },
        { method: 'POST', url: `/v1/terminals/${t}/suspend`, body: {}, allowed: ['operator'] },
        { method: 'POST', url: `/v1/terminals/${t}/resume`, body: {}, allowed: ['operator'] },
        { method: 'POST', url: '/v1/migrations', body: {}, allowed: ['operator', 'wallet'] },
        {
          method: 'POST',
          url: `/v1/migrations/${'00'.repeat(16)}/release`,
          body: {},
          allowed: ['operator'],
        },
        { method: 'POST', url: '/v1/migrations/release-due', body: {}, allowed: ['operator'] },
      ];
      const results: string[] = [];
      for (const route of routes) {
        for (const role of ROLES) {
          const request =
            role === 'anonymous'
              ? as.anonymous(route.method, route.url, route.body)
              : role === 'operator'
                ? as.operator(route.method, route.url, route.body)
                : role === 'wallet'
                  ? as.wallet(wallet, route.method, route.url, route.body)
                  : as.terminal(
                      role === 'terminal' ? terminal : other,
                      route.method,
                      route.url,
                      route.body,
                    );
          const response = await app.inject(request);
          const status = response.statusCode;
          const expected = role === 'anonymous' ? 401 : route.allowed.includes(role) ? 'ok' : 403;
          const got = status === 401 || status === 403 ? status : 'ok';
          results.push(
            `${route.method} ${route.url} ${role}: ${got === expected ? 'as expected' : `got ${status}`}`,
          );
          if (got === 'ok') expect(status).toBeLessThan(500);
        }
      }
      expect(results.filter((r) => !r.endsWith('as expected'))).toEqual([]);
      await app.close();
    });

    it('enrollment is public: anyone may try a code', async () => {
      const platform = await testPlatform(await databases.fresh());
      const as = await callers(platform);
      const response = await platform.app.inject(
        as.anonymous('POST', '/v1/terminals/enroll', {
          code: 'tsen-AAAAA-AAAAA-AAAAA-AAAAA',
          publicKey: '02'.padEnd(66, '1'),
        }),
      );
      expect(response.statusCode).toBe(400);
      await platform.app.close();
    });
  },
);
