/**
 * Every answer a route gives is in its OpenAPI document, and every refusal is the typed
 * `{ error: { code, message, field? } }`, echoing nothing of the request. Each route Fastify
 * serves (the authorization table, support/authz-routes.ts, has a sample request for each)
 * gets a battery: every role of the matrix, then as an admitted caller malformed JSON, a
 * wrong content type, an unknown key, a byte order mark and an over-long path parameter.
 */
import type { InjectOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../protocol';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { UNITS } from '../../platform/units';
import { AUTHZ_ROWS, type Actor, type AuthzRow, type World } from './support/authz-routes';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { names, registeredRoutes } from './support/route-list';
import { testPlatform, type TestPlatform } from './support/platform';

type Document = {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
};

const MARKER = 'qqmarkerqq';

/** A request as `actor` (or anonymous) with this exact body text and content type. */
function rawRequest(
  platform: TestPlatform,
  token: string,
  w: World,
  actor: Actor | 'anonymous',
  row: AuthzRow,
  url: string,
  payload?: { text: string | Buffer; type: string },
): InjectOptions {
  const bodyHeaders = payload === undefined ? {} : { 'content-type': payload.type };
  const base = { method: row.method, url, ...(payload ? { payload: payload.text } : {}) };
  if (actor === 'anonymous') return { ...base, headers: bodyHeaders };
  if (actor === 'operator')
    return { ...base, headers: { ...bodyHeaders, authorization: `Bearer ${token}` } };
  const wallet = actor === 'wallet' || actor === 'otherWallet';
  const who = w[actor];
  const signature = signRequest({
    kind: wallet ? 'wallet' : 'terminal',
    callerId: 'walletIdHex' in who ? who.walletIdHex : who.terminalId,
    key: who.key,
    method: row.method,
    target: url,
    time: platform.clock.now(),
    ...(payload ? { body: payload.text } : {}),
  });
  return { ...base, headers: { ...bodyHeaders, ...signature } };
}

/** The row's URL with its first path parameter 300 characters long. */
function longParam(row: AuthzRow, url: string): string | undefined {
  const position = row.route.split('/').findIndex((part) => part.startsWith(':'));
  if (position < 0) return undefined;
  const parts = url.split('?')[0]!.split('/');
  parts[position] = MARKER.padEnd(300, 'x');
  return parts.join('/');
}

function typedError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: Record<string, unknown> };
    const keys = Object.keys(parsed);
    const error = parsed.error;
    return (
      keys.length === 1 &&
      typeof error?.code === 'string' &&
      typeof error.message === 'string' &&
      Object.keys(error).every((key) => ['code', 'message', 'field'].includes(key))
    );
  } catch {
    return false;
  }
}

describe.each(backends())('OpenAPI conformance on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('documents every answer of every route, and types every refusal', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app, db } = platform;
    const { token } = await createOperatorToken(db, { label: 'conformance', at: 1 });
    const doc = (await app.inject({ url: '/openapi.json' })).json<Document>();
    const served = registeredRoutes(app).filter((route) => route !== 'GET /openapi.json');
    const problems: string[] = [];
    let calls = 0;

    for (const route of served) {
      // The notification socket is a WebSocket upgrade, not an OpenAPI operation.
      if (route.endsWith('/notifications/socket')) continue;
      const row = AUTHZ_ROWS.find((r) => names(route, `${r.method} ${r.route}`));
      if (row === undefined) {
        problems.push(`${route}: no sample request (support/authz-routes.ts)`);
        continue;
      }
      const path = row.route.replace(/:(\w+)/g, '{$1}');
      const documented = doc.paths[path]?.[row.method.toLowerCase()]?.responses;
      if (documented === undefined) {
        problems.push(`${route}: not in the OpenAPI document`);
        continue;
      }
      const w: World = {
        wallet: await insertWallet(db),
        otherWallet: await insertWallet(db),
        terminal: await insertTerminal(db),
        otherTerminal: await insertTerminal(db),
        unique: randomBytes(4).toString('hex'),
      };
      const url = row.url(w);
      const body = row.body?.(w);
      const json = (value: unknown) => ({ text: JSON.stringify(value), type: 'application/json' });
      const admitted: (Actor | 'anonymous')[] =
        row.public !== undefined ? ['anonymous'] : (Object.keys(row.allow ?? {}) as Actor[]);
      const battery: [string, InjectOptions][] = [];
      for (const actor of ['anonymous', 'operator', 'wallet', 'terminal', ...admitted] as const)
        battery.push([
          actor,
          rawRequest(
            platform,
            token,
            w,
            actor,
            row,
            url,
            body === undefined ? undefined : json(body),
          ),
        ]);
      const who = admitted[0] ?? 'anonymous';
      const as = (
        name: string,
        target: string,
        payload?: { text: string | Buffer; type: string },
      ) =>
        battery.push([`${who} ${name}`, rawRequest(platform, token, w, who, row, target, payload)]);
      if (row.method === 'POST' && !row.websocket) {
        as('malformed JSON', url, { text: '{', type: 'application/json' });
        as('text/plain', url, { text: 'hello', type: 'text/plain' });
        as('BOM', url, {
          text: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
          type: 'application/json',
        });
        // Not shaped like a field name, so the refusal must not name it.
        as('unknown key', url, json({ ...(body as object), [`${MARKER}<b>`]: 1 }));
      }
      const long = longParam(row, url);
      if (long !== undefined) as('long parameter', long);

      for (const [name, request] of battery) {
        const response = await app.inject(request);
        calls += 1;
        const status = response.statusCode;
        const what = `${row.method} ${row.route} as ${name}: ${status}`;
        if (documented[String(status)] === undefined) problems.push(`${what} is not documented`);
        if (status >= 400 && !typedError(response.body))
          problems.push(`${what} body is not the typed error: ${response.body.slice(0, 200)}`);
        if (status >= 400 && response.body.includes(MARKER))
          problems.push(`${what} echoes the request: ${response.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(served.length * 4);
    await app.close();
  });
});
