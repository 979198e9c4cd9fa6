/**
 * Authorization of EVERY platform route, from one table (support/authz-routes.ts): the
 * app's real routes are enumerated and must match the table exactly, so a new endpoint
 * without a row (or a row for a removed one) fails the build. Each row is then called by
 * every role: anonymous, forged operator token, wallet- and terminal-signed requests with
 * the wrong key, operator, the owning wallet and terminal, and another wallet and terminal.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { PlatformApp } from '../../platform/context';
import { UNITS } from '../../platform/units';
import {
  AUTHZ_ROWS,
  ROLES,
  type Actor,
  type AuthzRow,
  type Role,
  type World,
} from './support/authz-routes';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { testPlatform, type TestPlatform } from './support/platform';
import { names, registeredRoutes } from './support/route-list';
import { callers, type Callers } from './support/units';

const tableRoutes = () => AUTHZ_ROWS.map((row) => `${row.method} ${row.route}`).sort();

const kindOf = (actor: Actor) =>
  actor === 'operator'
    ? 'operator'
    : actor.toLowerCase().includes('wallet')
      ? 'wallet'
      : 'terminal';

/** What the role must get: an exact status and, for a refusal, the error code. */
function expected(row: AuthzRow, role: Role): { status: number; code?: string } {
  if (row.public !== undefined) return { status: row.public };
  switch (role) {
    case 'anonymous':
      return { status: 401, code: 'credentials_missing' };
    case 'forgedOperator':
      return { status: 401, code: 'token_invalid' };
    case 'forgedWallet':
    case 'forgedTerminal':
      return { status: 401, code: 'bad_signature' };
    default: {
      const allowed = row.allow?.[role];
      if (allowed !== undefined) return { status: allowed };
      const kindAllowed = Object.keys(row.allow ?? {}).some(
        (other) => kindOf(other as Actor) === kindOf(role),
      );
      return { status: 403, code: kindAllowed ? 'not_your_resource' : 'role_not_allowed' };
    }
  }
}

async function world(platform: TestPlatform): Promise<World> {
  const { db } = platform;
  return {
    wallet: await insertWallet(db),
    otherWallet: await insertWallet(db),
    terminal: await insertTerminal(db),
    otherTerminal: await insertTerminal(db),
    unique: randomBytes(4).toString('hex'),
  };
}

/** The request of `role`, built by the suites' own helpers (support/units.ts). */
function requestOf(as: Callers, w: World, role: Role, row: AuthzRow): InjectOptions {
  const url = row.url(w);
  const body = row.body?.(w);
  switch (role) {
    case 'anonymous':
      return as.anonymous(row.method, url, body);
    case 'forgedOperator': {
      const genuine = as.operator(row.method, url, body);
      const token = String(genuine.headers?.authorization);
      const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      return { ...genuine, headers: { ...genuine.headers, authorization: forged } };
    }
    case 'forgedWallet':
      return as.wallet({ ...w.wallet, key: w.otherWallet.key }, row.method, url, body);
    case 'forgedTerminal':
      return as.terminal({ ...w.terminal, key: w.otherTerminal.key }, row.method, url, body);
    case 'operator':
      return as.operator(row.method, url, body);
    case 'wallet':
    case 'otherWallet':
      return as.wallet(w[role], row.method, url, body);
    case 'terminal':
    case 'otherTerminal':
      return as.terminal(w[role], row.method, url, body);
  }
}

/** Status and error code; a WebSocket handshake answers 101 or rejects with the status. */
async function call(
  app: PlatformApp,
  row: AuthzRow,
  request: () => InjectOptions,
): Promise<{ status: number; code?: string }> {
  if (row.websocket) {
    const upgrade = request();
    const headers = Object.fromEntries(
      Object.entries(upgrade.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    try {
      const url = typeof upgrade.url === 'string' ? upgrade.url : '';
      const socket = await app.injectWS(url, { headers });
      socket.terminate();
      return { status: 101 };
    } catch (error) {
      const status = /\b([1-5][0-9]{2})\b/.exec(String(error))?.[1];
      // The refused handshake has no readable body: the same request without the upgrade
      // passes the same hooks and tells the error code.
      const plain = await app.inject(request());
      return {
        status: status === undefined ? -1 : Number(status),
        code:
          plain.json<{ error?: { code?: string } }>().error?.code ?? `plain ${plain.statusCode}`,
      };
    }
  }
  const response = await app.inject(request());
  const code =
    response.statusCode >= 400
      ? response.json<{ error?: { code?: string } }>().error?.code
      : undefined;
  return { status: response.statusCode, ...(code === undefined ? {} : { code }) };
}

const show = (outcome: { status: number; code?: string }) =>
  outcome.code === undefined ? String(outcome.status) : `${outcome.status} ${outcome.code}`;

describe.each(backends())('authorization of every platform route on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('has exactly one row per route the platform serves', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const served = registeredRoutes(app);
    const table = tableRoutes();
    expect(new Set(table).size, 'duplicate rows').toBe(table.length);
    expect({
      routesWithoutRow: served.filter((route) => !table.some((row) => names(route, row))),
      rowsWithoutRoute: table.filter((row) => !served.some((route) => names(route, row))),
    }).toEqual({ routesWithoutRow: [], rowsWithoutRoute: [] });
    for (const row of AUTHZ_ROWS)
      expect(app.hasRoute({ method: row.method, url: row.route }), row.route).toBe(true);

    // The listing is parsed from text: check it against the OpenAPI document, which lists
    // every documented operation (all but the hidden ones).
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((op) => !served.some((route) => names(route, op)))).toEqual([]);
    await app.close();
  });

  it('answers each role as the table says', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app } = platform;
    const as = await callers(platform);
    const mismatches: string[] = [];
    let calls = 0;
    for (const row of AUTHZ_ROWS) {
      const w = await world(platform);
      for (const role of ROLES) {
        const want = expected(row, role);
        const got = await call(app, row, () => requestOf(as, w, role, row));
        calls += 1;
        const matches =
          got.status === want.status && (want.code === undefined || got.code === want.code);
        if (!matches) {
          mismatches.push(
            `${row.method} ${row.route} as ${role}: want ${show(want)}, got ${show(got)}`,
          );
        }
      }
      // Fastify's automatic HEAD route shares the GET's policy.
      if (row.method === 'GET' && !row.websocket) {
        const head = await app.inject({ method: 'HEAD', url: row.url(w) });
        const want = row.public ?? 401;
        if (head.statusCode !== want)
          mismatches.push(`HEAD ${row.route} as anonymous: want ${want}, got ${head.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(AUTHZ_ROWS.length * ROLES.length);
    await app.close();
  });
});
