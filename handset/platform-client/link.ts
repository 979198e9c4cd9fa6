/**
 * The phone's PlatformLink over the platform's HTTP API (claims 7-8: the front-end
 * network unit). Activation and re-activation (reactivation.ts) are the unsigned calls (the
 * wallet does not exist yet); everything after is signed by the wallet key, which stays in
 * the wallet: the link asks its signer (the phone's wallet, see `attach`) for the headers
 * of each request.
 *
 * Bytes travel as lower-case hex in JSON. What comes back is only transported here: the
 * wallet checks every signature itself (certificate, tokens, notices).
 */
import { SystemClock, type Clock } from '../clock';
import type {
  ActivationGrant,
  ActivationRequest,
  PlatformLink,
  SyncRequest,
  SyncResult,
  UnlockRequest,
} from '../wallet/platform-link';
import { PlatformRequestError } from './errors';
import { PlatformHttp, type RequestSigner } from './http';
import { reactivationTarget, type ReactivationReport } from './reactivation';

export interface HttpLinkOptions {
  /** e.g. http://127.0.0.1:8787 */
  readonly baseUrl: string;
  /** The phone's clock (signing time); default the system clock. */
  readonly clock?: Clock;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  readonly signer?: RequestSigner;
  /** For tests; default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

export interface TopUpResult {
  readonly walletId: string;
  readonly amount: number;
  readonly balance: number;
  readonly accountBalance: number;
  readonly sequence: number | null;
}

interface GrantBody {
  walletId: string;
  certificate: string;
  bindingSalt: string;
  params: { T: number; T1: number; T2: number };
  issuerKeys: string[];
  balance: number;
  freshness: string;
  notificationSequence: number;
  /** Only from a re-activation. */
  migration?: ReactivationReport;
}

interface SyncBody {
  freshness?: string;
  notifications: string[];
  /** IssuerKeyAnnouncement envelopes; absent from an older platform. */
  issuerKeys?: string[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function bytes(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) {
    throw new PlatformRequestError('bad_response', `${what} is not hex`);
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

function syncResult(body: SyncBody): SyncResult {
  if (!Array.isArray(body?.notifications)) {
    throw new PlatformRequestError('bad_response', 'notifications missing');
  }
  return {
    ...(body.freshness === undefined ? {} : { freshness: bytes(body.freshness, 'freshness') }),
    notifications: body.notifications.map((n) => bytes(n, 'notification')),
    ...(Array.isArray(body.issuerKeys)
      ? { issuerKeys: body.issuerKeys.map((k) => bytes(k, 'issuerKey announcement')) }
      : {}),
  };
}

export class HttpPlatformLink implements PlatformLink {
  readonly http: PlatformHttp;
  private signer: RequestSigner | undefined;
  /** What the latest successful re-activation through this link moved and held. */
  lastReactivation: ReactivationReport | undefined;

  constructor(readonly options: HttpLinkOptions) {
    this.http = new PlatformHttp({
      baseUrl: options.baseUrl,
      clock: options.clock ?? new SystemClock(),
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    });
    this.signer = options.signer;
  }

  /** Who signs wallet requests: the phone's wallet (`link.attach(phone.wallet)`). */
  attach(signer: RequestSigner): this {
    this.signer = signer;
    return this;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * Activation, or re-activation when the details come from `forReactivation` (the
   * platform's report of the e-cash moved is then `lastReactivation`).
   */
  async activate(request: ActivationRequest): Promise<ActivationGrant> {
    const { registration } = request;
    const idNumber = registration.extra?.idNumber;
    const amount = registration.extra?.amount;
    const previous = reactivationTarget(registration);
    const phone = {
      imei: request.imei,
      imsi: request.imsi,
      walletPublicKey: hex(request.walletPublicKey),
      registration: {
        accountId: registration.accountId,
        password: registration.password,
        ...(idNumber === undefined ? {} : { idNumber }),
      },
    };
    const body =
      previous === undefined
        ? await this.http.call<GrantBody>('POST', '/v1/activations', {
            ...phone,
            ...(amount === undefined ? {} : { amount: Number(amount) }),
          })
        : await this.http.call<GrantBody>('POST', '/v1/reactivations', {
            ...phone,
            ...(previous === null ? {} : { previousWalletId: previous }),
          });
    if (previous !== undefined) {
      const migration = body?.migration;
      if (typeof migration?.oldWalletId !== 'string' || typeof migration.held !== 'number') {
        throw new PlatformRequestError('bad_response', 're-activation answer incomplete');
      }
      this.lastReactivation = migration;
    }
    if (typeof body?.params !== 'object' || !Array.isArray(body.issuerKeys)) {
      throw new PlatformRequestError('bad_response', 'activation answer incomplete');
    }
    return {
      certificate: bytes(body.certificate, 'certificate'),
      bindingSalt: bytes(body.bindingSalt, 'bindingSalt'),
      params: { T: body.params.T, T1: body.params.T1, T2: body.params.T2 },
      issuerKeys: body.issuerKeys.map((key) => bytes(key, 'issuerKey')),
      balance: body.balance,
      freshness: bytes(body.freshness, 'freshness'),
      notificationSequence: body.notificationSequence,
    };
  }

  /**
   * With `counter` (the wallet's, when its secrets are open) the answer carries a freshness
   * token: an unlock is an online sync.
   */
  async unlock(request: UnlockRequest): Promise<SyncResult> {
    const { registration } = request;
    const idNumber = registration.extra?.idNumber;
    const body = await this.http.call<SyncBody>(
      'POST',
      `/v1/wallets/${hex(request.walletId)}/unlock`,
      {
        imei: request.imei,
        imsi: request.imsi,
        registration: {
          accountId: registration.accountId,
          password: registration.password,
          ...(idNumber === undefined ? {} : { idNumber }),
        },
        ...(request.counter === undefined ? {} : { counter: request.counter }),
      },
      this.requireSigner(),
    );
    return syncResult(body);
  }

  async sync(request: SyncRequest): Promise<SyncResult> {
    const body = await this.http.call<SyncBody>(
      'POST',
      `/v1/wallets/${hex(request.walletId)}/sync`,
      {
        lastSequence: request.lastSequence,
        imei: request.imei,
        imsi: request.imsi,
        ...(request.balance === undefined ? {} : { balance: request.balance }),
        ...(request.counter === undefined ? {} : { counter: request.counter }),
      },
      this.requireSigner(),
    );
    return syncResult(body);
  }

  /** The phone applied every notice up to `sequence`. */
  async acknowledge(walletId: Uint8Array, sequence: number): Promise<void> {
    await this.http.call(
      'POST',
      `/v1/wallets/${hex(walletId)}/notifications/ack`,
      { sequence },
      this.requireSigner(),
    );
  }

  /** Wallet-initiated top-up from the user's account; the money arrives as a notice. */
  topUp(walletId: Uint8Array, amount: number, requestId?: string): Promise<TopUpResult> {
    return this.http.call<TopUpResult>(
      'POST',
      `/v1/wallets/${hex(walletId)}/top-up`,
      { amount, ...(requestId === undefined ? {} : { requestId }) },
      this.requireSigner(),
    );
  }

  /** Headers for the push socket's upgrade request (signed like any other request). */
  socketHeaders(target: string): Record<string, string> {
    const headers = this.requireSigner().signPlatformRequest({
      method: 'GET',
      target,
      time: this.http.now(),
    });
    if (headers === undefined) {
      throw new PlatformRequestError('cannot_sign', 'the wallet cannot sign requests now');
    }
    return headers;
  }

  private requireSigner(): RequestSigner {
    if (this.signer === undefined) {
      throw new PlatformRequestError('cannot_sign', 'no wallet attached to this link');
    }
    return this.signer;
  }
}
