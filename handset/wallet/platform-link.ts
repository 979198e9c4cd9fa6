/**
 * The seam between the wallet and the back-end support platform (the patent's front-end
 * network unit, claims 7-8 / 21-22). The wallet never speaks HTTP: it hands requests to a
 * PlatformLink and installs what comes back. Phase 2 implements the link over the
 * platform's HTTP API (with WebSocket push feeding `Phone.applySync`); tests use an
 * in-memory platform that signs with a test issuer key.
 *
 * Everything the platform returns that the wallet acts on is signed by a platform issuer
 * key and checked by the wallet, so a link implementation is trusted for transport only —
 * except at activation, where the issuer keys themselves arrive (trust on first use over an
 * authenticated channel, as a phone enrolling with its bank does).
 */
import type { LockParameters } from '../storage/records';

/** What the user types to prove who they are (claim 10; patent step 62). Opaque here. */
export interface RegistrationDetails {
  readonly accountId: string;
  readonly password: string;
  /** Anything else the platform asks for (name, date of birth…), passed through. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** Phone → platform, activation (S1; claims 4, 24 step A1). */
export interface ActivationRequest {
  readonly imei: string;
  readonly imsi: string;
  /** Compressed P-256 key generated in the phone; the certificate must name it. */
  readonly walletPublicKey: Uint8Array;
  readonly registration: RegistrationDetails;
}

/** Platform → phone, activation answer; `Wallet.installActivation` takes it as is. */
export interface ActivationGrant {
  /** Signed WalletCertificate envelope: walletId, key, binding digest, offline limits. */
  readonly certificate: Uint8Array;
  /** 16-byte salt of the certificate's binding digest. */
  readonly bindingSalt: Uint8Array;
  /** T, T1, T2 in seconds, as the platform's policy sets them. */
  readonly params: LockParameters;
  /** Compressed P-256 issuer keys the wallet will accept notices and tokens from. */
  readonly issuerKeys: readonly Uint8Array[];
  /** E-cash loaded at activation, in minor units of the certificate's currency. */
  readonly balance: number;
  /** Signed FreshnessToken envelope: the wallet's first sync. */
  readonly freshness: Uint8Array;
  /** The highest notice sequence already issued to this wallet (0 for a new wallet). */
  readonly notificationSequence?: number;
  /**
   * Only for a platform that generates wallet keys itself: the 32-byte private scalar.
   * Omitted when the phone generated its key (the default, as secure hardware does).
   */
  readonly walletPrivateKey?: Uint8Array;
}

/** Phone → platform, at every online sync (S10; patent steps 53-54). */
export interface SyncRequest {
  readonly walletId: Uint8Array;
  readonly imei: string;
  readonly imsi: string;
  /**
   * The wallet's own view, for the platform's records and the freshness token; absent
   * when the wallet cannot open its secrets (locked), which may still receive notices.
   */
  readonly balance?: number;
  readonly counter?: number;
  /** Notices up to this sequence are applied; send only newer ones. */
  readonly lastSequence: number;
}

/** Platform → phone, at sync or unlock; `Phone.applySync` / `Wallet.applySync` take it. */
export interface SyncResult {
  /** Signed FreshnessToken envelope, when the platform issues a new one. */
  readonly freshness?: Uint8Array;
  /** Signed Notification envelopes, any order; the wallet applies them by sequence. */
  readonly notifications: readonly Uint8Array[];
  /**
   * Signed IssuerKeyAnnouncement envelopes: keys made after activation, and end dates of
   * keys the wallet holds. Applied before the token and the notices.
   */
  readonly issuerKeys?: readonly Uint8Array[];
}

/** Phone → platform: lift a lock after user re-verification (S7-S9; claim 10, step 62). */
export interface UnlockRequest {
  readonly walletId: Uint8Array;
  readonly imei: string;
  readonly imsi: string;
  readonly registration: RegistrationDetails;
  /** The wallet's counter when its secrets are open: the answer then carries a token. */
  readonly counter?: number;
}

export interface PlatformLink {
  activate(request: ActivationRequest): Promise<ActivationGrant>;
  /** Resolves with the signed unlock notice (and anything else pending); rejects if refused. */
  unlock(request: UnlockRequest): Promise<SyncResult>;
  sync(request: SyncRequest): Promise<SyncResult>;
}
