/**
 * The authorization table of every platform route (authorization-matrix.test.ts): who may
 * call it, and what an allowed caller gets back for the cheap request the row sends.
 *
 * Each row runs against a fresh world: wallet W and terminal T own the resources the URL
 * names; W2 and T2 are "another wallet / terminal" acting on them. A role missing from
 * `allow` must get 403 (401 for anonymous and forged callers); a `public` row answers every
 * caller, credentials or not, with the same status.
 */
import type { TerminalFixture, WalletFixture } from './fixtures';

/** Callers holding genuine credentials. */
export type Actor = 'operator' | 'wallet' | 'otherWallet' | 'terminal' | 'otherTerminal';
/** Callers with no or bad credentials: always 401 on a non-public route. */
export type Intruder = 'anonymous' | 'forgedOperator' | 'forgedWallet' | 'forgedTerminal';
export type Role = Intruder | Actor;

/** Run order: the allowed roles that change state (operator) come last. */
export const ROLES: readonly Role[] = [
  'anonymous',
  'forgedOperator',
  'forgedWallet',
  'forgedTerminal',
  'otherWallet',
  'otherTerminal',
  'wallet',
  'terminal',
  'operator',
];

export interface World {
  /** Owns the wallet the URL names. */
  readonly wallet: WalletFixture;
  readonly otherWallet: WalletFixture;
  /** Owns the terminal the URL names. */
  readonly terminal: TerminalFixture;
  readonly otherTerminal: TerminalFixture;
  /** Fresh per row, for ids a row creates. */
  readonly unique: string;
}

export interface AuthzRow {
  readonly method: 'GET' | 'POST';
  /** The route as Fastify registered it (printRoutes / hasRoute). */
  readonly route: string;
  readonly url: (w: World) => string;
  readonly body?: (w: World) => unknown;
  /** A WebSocket route: called through injectWS (101 when the handshake is accepted). */
  readonly websocket?: true;
  /** Every caller gets this status; credentials are not looked at. */
  readonly public?: number;
  /** The roles allowed, with the status the row's request gets. */
  readonly allow?: Partial<Record<Actor, number>>;
}

const W = (w: World) => w.wallet.walletIdHex;
const T = (w: World) => w.terminal.terminalId;

export const AUTHZ_ROWS: readonly AuthzRow[] = [
  // platform
  { method: 'GET', route: '/healthz', url: () => '/healthz', public: 200 },
  { method: 'GET', route: '/openapi.json', url: () => '/openapi.json', public: 200 },
  // operator
  {
    method: 'GET',
    route: '/v1/operator/whoami',
    url: () => '/v1/operator/whoami',
    allow: { operator: 200 },
  },
  {
    method: 'GET',
    route: '/v1/operator/status',
    url: () => '/v1/operator/status',
    allow: { operator: 200 },
  },
  {
    method: 'POST',
    route: '/v1/operator/tokens',
    url: () => '/v1/operator/tokens',
    body: (w) => ({ label: `ops ${w.unique}` }),
    allow: { operator: 201 },
  },
  {
    method: 'POST',
    route: '/v1/operator/tokens/:tokenId/revoke',
    url: () => '/v1/operator/tokens/0123456789abcdef/revoke',
    body: () => ({}),
    allow: { operator: 404 },
  },
  // accounts
  {
    method: 'POST',
    route: '/v1/accounts',
    url: () => '/v1/accounts',
    body: (w) => ({ accountId: `new-${w.unique}`, name: 'New User', password: 'long enough pw' }),
    allow: { operator: 201 },
  },
  {
    method: 'GET',
    route: '/v1/accounts/:accountId',
    url: (w) => `/v1/accounts/${w.wallet.accountId}`,
    allow: { operator: 200 },
  },
  {
    method: 'POST',
    route: '/v1/accounts/:accountId/load',
    url: (w) => `/v1/accounts/${w.wallet.accountId}/load`,
    body: () => ({ amount: 100 }),
    allow: { operator: 200 },
  },
  {
    method: 'GET',
    route: '/v1/wallets/:walletId',
    url: (w) => `/v1/wallets/${W(w)}`,
    allow: { operator: 200 },
  },
  // activation: public by necessity (no wallet key exists yet); rate-limited instead
  {
    method: 'POST',
    route: '/v1/activations',
    url: () => '/v1/activations',
    body: () => ({}),
    public: 400,
  },
  // re-activation on a new phone (migration unit): public like activation, same rate limit
  {
    method: 'POST',
    route: '/v1/reactivations',
    url: () => '/v1/reactivations',
    body: () => ({}),
    public: 400,
  },
  // sync and notifications
  {
    method: 'POST',
    route: '/v1/wallets/:walletId/sync',
    url: (w) => `/v1/wallets/${W(w)}/sync`,
    body: () => ({ lastSequence: 0 }),
    allow: { wallet: 200 },
  },
  {
    method: 'POST',
    route: '/v1/wallets/:walletId/notifications/ack',
    url: (w) => `/v1/wallets/${W(w)}/notifications/ack`,
    body: () => ({ sequence: 0 }),
    allow: { wallet: 200 },
  },
  {
    method: 'GET',
    route: '/v1/wallets/:walletId/notifications/socket',
    url: (w) => `/v1/wallets/${W(w)}/notifications/socket`,
    websocket: true,
    allow: { wallet: 101 },
  },
  // verification: the body is invalid, so an admitted wallet gets 400 (no failure counted)
  {
    method: 'POST',
    route: '/v1/wallets/:walletId/unlock',
    url: (w) => `/v1/wallets/${W(w)}/unlock`,
    body: () => ({}),
    allow: { wallet: 400 },
  },
  // top-up: the fixture accounts hold nothing
  {
    method: 'POST',
    route: '/v1/wallets/:walletId/top-up',
    url: (w) => `/v1/wallets/${W(w)}/top-up`,
    body: () => ({ amount: 10 }),
    allow: { wallet: 409, operator: 409 },
  },
  // lost phones and the hotlist
  {
    method: 'POST',
    route: '/v1/lost-reports',
    url: () => '/v1/lost-reports',
    body: (w) => ({ walletId: W(w) }),
    allow: { operator: 200 },
  },
  {
    method: 'GET',
    route: '/v1/hotlist',
    url: () => '/v1/hotlist',
    allow: { terminal: 200, otherTerminal: 200 },
  },
  {
    method: 'GET',
    route: '/v1/hotlist/delta',
    url: () => '/v1/hotlist/delta?since=0',
    allow: { terminal: 200, otherTerminal: 200 },
  },
  // migration between two wallets: an operator's job (a phone re-activates instead);
  // newWalletId is missing, so the admitted operator gets 400
  {
    method: 'POST',
    route: '/v1/migrations',
    url: () => '/v1/migrations',
    body: (w) => ({ oldWalletId: W(w) }),
    allow: { operator: 400 },
  },
  {
    method: 'POST',
    route: '/v1/migrations/:oldWalletId/release',
    url: (w) => `/v1/migrations/${W(w)}/release`,
    body: () => ({}),
    allow: { operator: 404 },
  },
  {
    method: 'POST',
    route: '/v1/migrations/release-due',
    url: () => '/v1/migrations/release-due',
    body: () => ({}),
    allow: { operator: 200 },
  },
  // terminals
  {
    method: 'POST',
    route: '/v1/merchants',
    url: () => '/v1/merchants',
    body: (w) => ({ merchantId: `M-${w.unique}`, name: 'New Shop' }),
    allow: { operator: 201 },
  },
  {
    method: 'POST',
    route: '/v1/enrollment-codes',
    url: () => '/v1/enrollment-codes',
    body: (w) => ({ merchantId: w.terminal.merchantId, terminalId: `T-${w.unique}` }),
    allow: { operator: 201 },
  },
  // enrollment: public (the terminal has no key on the platform yet); rate-limited instead
  {
    method: 'POST',
    route: '/v1/terminals/enroll',
    url: () => '/v1/terminals/enroll',
    body: () => ({}),
    public: 400,
  },
  {
    method: 'GET',
    route: '/v1/terminals/:terminalId',
    url: (w) => `/v1/terminals/${T(w)}`,
    allow: { operator: 200, terminal: 200 },
  },
  // renewal: the terminal itself only (an operator suspends or resumes instead)
  {
    method: 'POST',
    route: '/v1/terminals/:terminalId/certificate',
    url: (w) => `/v1/terminals/${T(w)}/certificate`,
    body: () => ({}),
    allow: { terminal: 201 },
  },
  {
    method: 'POST',
    route: '/v1/terminals/:terminalId/suspend',
    url: (w) => `/v1/terminals/${T(w)}/suspend`,
    body: () => ({}),
    allow: { operator: 200 },
  },
  {
    method: 'POST',
    route: '/v1/terminals/:terminalId/resume',
    url: (w) => `/v1/terminals/${T(w)}/resume`,
    body: () => ({}),
    allow: { operator: 409 },
  },
  // settlement: a JSON body instead of the octet-stream batch is 415 once admitted
  {
    method: 'POST',
    route: '/v1/settlement/batches',
    url: () => '/v1/settlement/batches',
    body: () => ({}),
    allow: { terminal: 415, otherTerminal: 415 },
  },
  {
    method: 'GET',
    route: '/v1/settlement/status',
    url: (w) => `/v1/settlement/status?terminalId=${T(w)}`,
    allow: { operator: 200 },
  },
];
