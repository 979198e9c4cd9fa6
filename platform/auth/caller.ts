/**
 * Who is calling: the three kinds of authenticated callers, the per-route policy that
 * says which kinds may call, and the helpers a route uses to act only on its caller's own
 * wallet, terminal or merchant.
 *
 * Every route declares `config: { auth: ... }` — buildPlatform refuses to start with a
 * route that does not, so nothing is public by omission:
 *   config: { auth: 'public' }                    health, OpenAPI
 *   config: { auth: 'operator' }                  Authorization: Bearer <operator token>
 *   config: { auth: 'wallet' }                    signed by the wallet key (status active)
 *   config: { auth: 'wallet', walletStatuses: ['active', 'locked'] }   e.g. unlock
 *   config: { auth: ['terminal', 'operator'] }    either
 */
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../errors';
import type { AuditActor } from '../audit';
import type { OperatorTokenScope, TerminalStatus, WalletStatus } from '../db/schema';

export type CallerKind = 'operator' | 'wallet' | 'terminal';
export type AuthPolicy = 'public' | CallerKind | readonly CallerKind[];

export interface OperatorCaller {
  readonly kind: 'operator';
  readonly tokenId: string;
  readonly label: string;
  /** 'bootstrap': the one-time token of a first start, admitted only where `bootstrapToken` says. */
  readonly scope: OperatorTokenScope;
}

export interface WalletCaller {
  readonly kind: 'wallet';
  readonly walletId: Uint8Array;
  /** Lower-case hex, as in URLs and ledger account names. */
  readonly walletIdHex: string;
  readonly accountId: string;
  readonly status: WalletStatus;
}

export interface TerminalCaller {
  readonly kind: 'terminal';
  readonly terminalId: string;
  readonly merchantId: string;
  readonly status: TerminalStatus;
}

export type Caller = OperatorCaller | WalletCaller | TerminalCaller;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route. */
    auth?: AuthPolicy;
    /** Wallet statuses this route admits; default ['active']. */
    walletStatuses?: readonly WalletStatus[];
    /** Terminal statuses this route admits; default ['active']. */
    terminalStatuses?: readonly TerminalStatus[];
    /** The bootstrap token may call this route (creating the first operator token only). */
    bootstrapToken?: true;
  }
  interface FastifyRequest {
    /** Set by authentication before validation; null only on 'public' routes. */
    caller: Caller | null;
    /** The exact body bytes received (what a request signature covers); null without a body. */
    rawBody: Buffer | null;
  }
}

export function allowedKinds(policy: AuthPolicy): readonly CallerKind[] {
  if (policy === 'public') return [];
  return typeof policy === 'string' ? [policy] : policy;
}

/** The caller, which must be of `kind` (403 otherwise); use it on routes open to several kinds. */
export function requireCaller<K extends CallerKind>(
  request: FastifyRequest,
  kind: K,
): Extract<Caller, { kind: K }> {
  const caller = request.caller;
  if (caller?.kind !== kind) throw forbidden('role_not_allowed', `this needs a ${kind} caller`);
  return caller as Extract<Caller, { kind: K }>;
}

/**
 * For ids that arrive in a body or query (route params named walletId / terminalId /
 * merchantId are checked automatically): a wallet may touch only its own wallet, a
 * terminal only itself and its merchant. Operators may touch any.
 */
export function assertOwn(
  request: FastifyRequest,
  what: 'walletId' | 'terminalId' | 'merchantId',
  value: string,
): void {
  const caller = request.caller;
  if (caller === null || caller.kind === 'operator') return;
  const own =
    caller.kind === 'wallet'
      ? what === 'walletId' && value.toLowerCase() === caller.walletIdHex
      : (what === 'terminalId' && value === caller.terminalId) ||
        (what === 'merchantId' && value === caller.merchantId);
  if (!own)
    throw forbidden('not_your_resource', `a ${caller.kind} may act only on its own ${what}`);
}

export function actorOf(caller: Caller | null): AuditActor {
  return caller === null ? { kind: 'anonymous' } : { kind: caller.kind, id: callerId(caller) };
}

/** The caller's own id: operator token id, wallet id (hex) or terminal id. */
export function callerId(caller: Caller): string {
  switch (caller.kind) {
    case 'operator':
      return caller.tokenId;
    case 'wallet':
      return caller.walletIdHex;
    case 'terminal':
      return caller.terminalId;
  }
}
