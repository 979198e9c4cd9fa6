/**
 * Authentication of every request, as a preValidation hook: after the body is read (a
 * signature covers its bytes) and before schema validation (so an unauthenticated caller
 * learns nothing about what a route accepts). The route's `config.auth` says who may call.
 *
 * Order: which credential was presented → is it genuine (401) → may that kind call this
 * route (403) → is the wallet or terminal in an admitted status (403) → do route params
 * walletId / terminalId / merchantId name the caller itself (403).
 */
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import { importPublicKey } from '../../protocol';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';
import { badRequest, forbidden, PlatformError, unauthenticated } from '../errors';
import { allowedKinds, assertOwn, type Caller, type CallerKind } from './caller';
import { rememberNonce } from './nonces';
import { verifyOperatorToken } from './operator-tokens';
import {
  REQUEST_CLOCK_WINDOW_SECONDS,
  REQUEST_HEADERS,
  verifyRequestSignature,
  type RequestSignerKind,
} from '../../protocol';

interface AuthContext {
  readonly db: Kysely<PlatformDatabase>;
  readonly clock: Clock;
}

const WALLET_ID = /^[0-9a-f]{32}$/;
const TERMINAL_ID = /^[A-Za-z0-9._-]{1,32}$/;
const TIME = /^[0-9]{1,12}$/;
const NONCE = /^[0-9a-f]{32}$/;
const SIGNATURE = /^[0-9a-f]{128}$/;
const BEARER = /^Bearer ([\x21-\x7e]+)$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? undefined : value;
}

function presented(request: FastifyRequest): CallerKind {
  const kinds: CallerKind[] = [];
  if (request.headers.authorization !== undefined) kinds.push('operator');
  if (request.headers[REQUEST_HEADERS.wallet] !== undefined) kinds.push('wallet');
  if (request.headers[REQUEST_HEADERS.terminal] !== undefined) kinds.push('terminal');
  const [kind, ...others] = kinds;
  if (kind === undefined) {
    throw new PlatformError(
      401,
      'credentials_missing',
      'this route needs authentication',
      undefined,
      {
        'www-authenticate': 'Bearer realm="tapsafe"',
      },
    );
  }
  if (others.length > 0)
    throw badRequest('credentials_ambiguous', 'present one kind of credential');
  return kind;
}

function malformed(name: string): PlatformError {
  return new PlatformError(
    401,
    'credentials_malformed',
    `header ${name} is missing or malformed`,
    name,
  );
}

function pick(request: FastifyRequest, name: string, pattern: RegExp): string {
  const value = header(request, name);
  if (value === undefined || !pattern.test(value)) throw malformed(name);
  return value;
}

async function operator(ctx: AuthContext, request: FastifyRequest): Promise<Caller> {
  const match = BEARER.exec(header(request, 'authorization') ?? '');
  if (match?.[1] === undefined) throw malformed('authorization');
  const identity = await verifyOperatorToken(ctx.db, match[1]);
  if (identity === undefined) throw unauthenticated('token_invalid', 'operator token not accepted');
  return { kind: 'operator', ...identity };
}

async function signed(
  ctx: AuthContext,
  request: FastifyRequest,
  kind: RequestSignerKind,
): Promise<Caller> {
  const id = pick(request, REQUEST_HEADERS[kind], kind === 'wallet' ? WALLET_ID : TERMINAL_ID);
  const timeText = pick(request, REQUEST_HEADERS.time, TIME);
  const nonceHex = pick(request, REQUEST_HEADERS.nonce, NONCE);
  const signature = Buffer.from(pick(request, REQUEST_HEADERS.signature, SIGNATURE), 'hex');
  const time = Number(timeText);
  const now = ctx.clock.now();
  if (Math.abs(now - time) > REQUEST_CLOCK_WINDOW_SECONDS) {
    throw new PlatformError(
      401,
      'clock_skew',
      `request time ${time} is more than ${REQUEST_CLOCK_WINDOW_SECONDS} s from platform time ${now}`,
      REQUEST_HEADERS.time,
      { 'x-tapsafe-server-time': String(now) },
    );
  }
  const found = kind === 'wallet' ? await loadWallet(ctx, id) : await loadTerminal(ctx, id);
  if (found === undefined) throw unauthenticated('unknown_caller', `no such ${kind}`);
  const parts = {
    method: request.method,
    target: request.url,
    time,
    nonceHex,
    body: request.rawBody ?? undefined,
  };
  if (!verifyRequestSignature(kind, importPublicKey(found.publicKey), parts, signature)) {
    throw unauthenticated('bad_signature', 'request signature does not verify');
  }
  const fresh = await rememberNonce(ctx.db, {
    caller_kind: kind,
    caller_id: id,
    nonce: Buffer.from(nonceHex, 'hex'),
    expires_at: time + REQUEST_CLOCK_WINDOW_SECONDS,
  });
  if (!fresh) throw unauthenticated('replayed_request', 'this nonce has been used already');
  return found.caller;
}

async function loadWallet(ctx: AuthContext, walletIdHex: string) {
  const walletId = Buffer.from(walletIdHex, 'hex');
  const row = await ctx.db
    .selectFrom('wallets')
    .select(['public_key', 'account_id', 'status'])
    .where('wallet_id', '=', walletId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const caller: Caller = {
    kind: 'wallet',
    walletId,
    walletIdHex,
    accountId: row.account_id,
    status: row.status,
  };
  return { publicKey: row.public_key, caller };
}

async function loadTerminal(ctx: AuthContext, terminalId: string) {
  const row = await ctx.db
    .selectFrom('terminals')
    .select(['public_key', 'merchant_id', 'status'])
    .where('terminal_id', '=', terminalId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const caller: Caller = {
    kind: 'terminal',
    terminalId,
    merchantId: row.merchant_id,
    status: row.status,
  };
  return { publicKey: row.public_key, caller };
}

function admitStatus(request: FastifyRequest, caller: Caller): void {
  const config = request.routeOptions.config;
  if (caller.kind === 'wallet' && !(config.walletStatuses ?? ['active']).includes(caller.status)) {
    throw forbidden(`wallet_${caller.status}`, `this wallet is ${caller.status}`);
  }
  if (
    caller.kind === 'terminal' &&
    !(config.terminalStatuses ?? ['active']).includes(caller.status)
  ) {
    throw forbidden(`terminal_${caller.status}`, `this terminal is ${caller.status}`);
  }
}

function admitParams(request: FastifyRequest): void {
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const name of ['walletId', 'terminalId', 'merchantId'] as const) {
    const value = params[name];
    if (typeof value === 'string') assertOwn(request, name, value);
  }
}

export function authenticationHook(ctx: AuthContext): preValidationAsyncHookHandler {
  return async (request) => {
    if (request.is404) return; // the not-found handler answers 404 to anyone
    const config = request.routeOptions.config;
    const policy = config.auth;
    if (policy === undefined) throw new PlatformError(500, 'internal', 'route has no auth policy');
    if (policy === 'public') return;
    const kind = presented(request);
    const caller =
      kind === 'operator' ? await operator(ctx, request) : await signed(ctx, request, kind);
    if (!allowedKinds(policy).includes(caller.kind)) {
      throw forbidden('role_not_allowed', `a ${caller.kind} may not call this route`);
    }
    if (caller.kind === 'operator' && caller.scope === 'bootstrap' && !config.bootstrapToken) {
      throw forbidden(
        'bootstrap_token_limited',
        'a bootstrap token only creates the first operator token: npm run platform -- create-operator-token --label <who>',
      );
    }
    request.caller = caller;
    admitStatus(request, caller);
    admitParams(request);
  };
}
