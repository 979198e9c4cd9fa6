/**
 * A local stand-in for the back-end support platform: it registers accounts, activates
 * wallets (certificate, freshness token), signs notices and answers sync and unlock with
 * protocol objects under a fixed test issuer key. It implements the handset's PlatformLink,
 * so phase 2 can run the same scenarios against the real platform through its HTTP client.
 */
import { randomBytes } from 'node:crypto';
import {
  bindingDigest,
  FreshnessToken,
  keyIdOf,
  Notification,
  signingKeyFromScalar,
  WalletCertificate,
  type NotificationType,
  type SigningKey,
} from '../../../protocol';
import type {
  ActivationGrant,
  ActivationRequest,
  Clock,
  LockParameters,
  PlatformLink,
  SyncRequest,
  SyncResult,
  UnlockRequest,
} from '../../../handset';

export const EUR = 978;
export const HOUR = 3_600;
export const DAY = 86_400;
const scalar = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

/** The test issuer key; and a stranger's, whose signatures must never be accepted. */
export const issuerKey: SigningKey = signingKeyFromScalar(scalar(0x11));
export const strangerKey: SigningKey = signingKeyFromScalar(scalar(0x44));

export interface TestPolicy {
  params: LockParameters;
  currency: number;
  limitPerPayment: number;
  limitOfflineAmount: number;
  limitOfflineCount: number;
  initialBalance: number;
}

export const DEFAULT_POLICY: TestPolicy = {
  params: { T: HOUR, T1: DAY, T2: 2 * DAY },
  currency: EUR,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 10,
  initialBalance: 10_000,
};

interface WalletRecord {
  accountId: string;
  imei: string;
  imsi: string;
  sequence: number;
  notices: { sequence: number; envelope: Uint8Array }[];
}

export class RefusedError extends Error {}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** Runs `f` as a promise: a throw becomes a rejection, as over a real network. */
const settle = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));

export class TestPlatform implements PlatformLink {
  readonly policy: TestPolicy;
  readonly issuerKeyId = keyIdOf(issuerKey.publicKey);
  private readonly passwords = new Map<string, string>();
  private readonly wallets = new Map<string, WalletRecord>();

  constructor(
    private readonly clock: Clock,
    policy: Partial<TestPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
  }

  register(accountId: string, password: string): void {
    this.passwords.set(accountId, password);
  }

  activate(request: ActivationRequest): Promise<ActivationGrant> {
    return settle(() => this.grant(request));
  }

  private grant(request: ActivationRequest): ActivationGrant {
    const { accountId, password } = request.registration;
    if (this.passwords.get(accountId) !== password) {
      throw new RefusedError('registration details do not match');
    }
    const now = this.clock.now();
    const walletId = new Uint8Array(randomBytes(16));
    const bindingSalt = new Uint8Array(randomBytes(16));
    const p = this.policy;
    const certificate = WalletCertificate.sign(
      {
        serial: this.wallets.size + 1,
        walletId,
        walletPublicKey: request.walletPublicKey,
        bindingDigest: bindingDigest(request.imei, request.imsi, bindingSalt),
        issuerKeyId: this.issuerKeyId,
        validFrom: now - DAY,
        validUntil: now + 365 * DAY,
        currency: p.currency,
        limitPerPayment: p.limitPerPayment,
        limitOfflineAmount: p.limitOfflineAmount,
        limitOfflineCount: p.limitOfflineCount,
      },
      issuerKey,
    );
    this.wallets.set(hex(walletId), {
      accountId,
      imei: request.imei,
      imsi: request.imsi,
      sequence: 0,
      notices: [],
    });
    return {
      certificate: certificate.encoded,
      bindingSalt,
      params: p.params,
      issuerKeys: [issuerKey.publicKey],
      balance: p.initialBalance,
      freshness: this.token(walletId, p.initialBalance, 0),
      notificationSequence: 0,
    };
  }

  unlock(request: UnlockRequest): Promise<SyncResult> {
    return settle(() => {
      const wallet = this.wallet(request.walletId);
      if (this.passwords.get(wallet.accountId) !== request.registration.password) {
        throw new RefusedError('registration details do not match');
      }
      this.notice(request.walletId, 'unlock');
      return { notifications: this.pending(request.walletId, 0) };
    });
  }

  sync(request: SyncRequest): Promise<SyncResult> {
    return settle(() => {
      this.wallet(request.walletId);
      return {
        freshness:
          request.counter === undefined
            ? undefined
            : this.token(request.walletId, request.balance ?? 0, request.counter),
        notifications: this.pending(request.walletId, request.lastSequence),
      };
    });
  }

  /** Issues the next notice for a wallet (queued for sync) and returns its envelope. */
  notice(
    walletId: Uint8Array,
    type: NotificationType,
    options: {
      amount?: number;
      balance?: number;
      key?: SigningKey;
      sequence?: number;
      serial?: number;
    } = {},
  ): Uint8Array {
    const wallet = this.wallet(walletId);
    const sequence = options.sequence ?? ++wallet.sequence;
    const key = options.key ?? issuerKey;
    const envelope = Notification.sign(
      {
        notificationType: type,
        walletId,
        sequence,
        issuerKeyId: keyIdOf(key.publicKey),
        issuedAt: this.clock.now(),
        amount: options.amount ?? 0,
        serial: options.serial ?? 0,
        balance: options.balance ?? 0,
      },
      key,
    ).encoded;
    if (key === issuerKey) wallet.notices.push({ sequence, envelope });
    return envelope;
  }

  token(walletId: Uint8Array, balance: number, counter: number): Uint8Array {
    return FreshnessToken.sign(
      { walletId, issuerKeyId: this.issuerKeyId, syncTime: this.clock.now(), balance, counter },
      issuerKey,
    ).encoded;
  }

  private pending(walletId: Uint8Array, after: number): Uint8Array[] {
    return this.wallet(walletId)
      .notices.filter((n) => n.sequence > after)
      .map((n) => n.envelope);
  }

  private wallet(walletId: Uint8Array): WalletRecord {
    const wallet = this.wallets.get(hex(walletId));
    if (!wallet) throw new RefusedError('unknown wallet');
    return wallet;
  }
}
