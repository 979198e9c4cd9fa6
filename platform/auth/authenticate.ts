/**
 * Authentication of every request, in two steps around the reading of the body:
 *
 * 1. onRequest, before any byte of the body is read: which credential was presented, and is
 *    its caller known — an operator token is checked whole; a wallet or terminal must exist
 *    and its headers be well-formed and in the clock window. Anyone else is 401 here, so an
 *    anonymous or unknown caller can make the platform read nothing (not even learn that its
 *    body is malformed or of the wrong type). A known caller then counts against its
 *    in-flight limit (in-flight.ts).
 * 2. preValidation, once the body is read (a signature covers its bytes) and before schema
 *    validation (so only an admitted caller learns what a route accepts): the signature and
 *    its nonce (401) → may that kind call this route (403) → is the wallet or terminal in
 *    an admitted status (403) → do route params walletId / terminalId / merchantId name the
 *    caller itself (403).
 *
 * The route's `config.auth` says who may call.
 */
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preValidationAsyncHookHandler,
} from 'fastify';
import type { Kysely } from 'kysely';
import { importPublicKey } from '../../protocol';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';
import { badRequest, forbidden, PlatformError, unauthenticated } from '../errors';
import { allowedKinds, callerId, assertOwn, type Caller, type CallerKind } from './caller';
import type { InFlightLimiter } from './in-flight';
import { rememberNonce } from './nonces';
import { verifyOperatorToken } from './operator-tokens';
import {
  REQUEST_CLOCK_WINDOW_SECONDS,
  REQUEST_HEADERS,
  verifyRequestSignature,
  type RequestSignerKind,
} from '../../protocol';

export interface AuthContext {
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

/** A known wallet or terminal whose signature is checked once the body is read. */
interface PendingSignature {
  readonly kind: RequestSignerKind;
  readonly id: string;
  readonly time: number;
  readonly nonceHex: string;
  readonly signature: Buffer;
  readonly publicKey: Uint8Array;
  readonly caller: Caller;
}

/** The headers of a signed request, checked without the body: well-formed, in time, known. */
async function signer(
  ctx: AuthContext,
  request: FastifyRequest,
  kind: RequestSignerKind,
): Promise<PendingSignature> {
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
  return { kind, id, time, nonceHex, signature, publicKey: found.publicKey, caller: found.caller };
}

/** The signature over the request as received (body included), and its nonce used once. */
async function verifySigned(
  ctx: AuthContext,
  request: FastifyRequest,
  pending: PendingSignature,
): Promise<Caller> {
  const { kind, id, time, nonceHex } = pending;
  const parts = {
    method: request.method,
    target: request.url,
    time,
    nonceHex,
    body: request.rawBody ?? undefined,
  };
  if (!verifyRequestSignature(kind, importPublicKey(pending.publicKey), parts, pending.signature)) {
    throw unauthenticated('bad_signature', 'request signature does not verify');
  }
  const fresh = await rememberNonce(ctx.db, {
    caller_kind: kind,
    caller_id: id,
    nonce: Buffer.from(nonceHex, 'hex'),
    expires_at: time + REQUEST_CLOCK_WINDOW_SECONDS,
  });
  if (!fresh) throw unauthenticated('replayed_request', 'this nonce has been used already');
  return pending.caller;
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

/** What the caller's headers alone establish: an operator, or a signer still to verify. */
type Identified = { readonly caller: Caller } | { readonly pending: PendingSignature };

/** Step 1 for any request with credentials, route or not: 401 for anyone not known. */
export async function identify(ctx: AuthContext, request: FastifyRequest): Promise<Identified> {
  const kind = presented(request);
  if (kind === 'operator') return { caller: await operator(ctx, request) };
  return { pending: await signer(ctx, request, kind) };
}

const identified = new WeakMap<FastifyRequest, Identified>();

/** Step 1, as the onRequest hook: before the body is read. */
export function identificationHook(
  ctx: AuthContext,
  inFlight: InFlightLimiter,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404) return; // the not-found handler answers 404 to anyone
    const config = request.routeOptions.config;
    const policy = config.auth;
    if (policy === undefined) throw new PlatformError(500, 'internal', 'route has no auth policy');
    if (policy === 'public') return;
    const found = await identify(ctx, request);
    const caller = 'caller' in found ? found.caller : found.pending.caller;
    // A WebSocket upgrade carries no body and then lives as long as the phone is online:
    // it does not take one of the caller's request slots.
    if (!request.ws) inFlight.admit(reply, caller.kind, callerId(caller));
    identified.set(request, found);
  };
}

/** Step 2, as the preValidation hook: the body is read, the signature can be checked. */
export function authenticationHook(ctx: AuthContext): preValidationAsyncHookHandler {
  return async (request) => {
    if (request.is404) return;
    const config = request.routeOptions.config;
    const policy = config.auth;
    if (policy === undefined || policy === 'public') return;
    const found = identified.get(request);
    if (found === undefined) throw new PlatformError(500, 'internal', 'caller not identified');
    const caller =
      'caller' in found ? found.caller : await verifySigned(ctx, request, found.pending);
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
