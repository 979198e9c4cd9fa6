/**
 * What the wallet file holds, in two parts.
 *
 * AccessRecord — unsealed (integrity-protected only): what access control needs even when
 * the phone's identity no longer opens the seal: the wallet's state and since when, the
 * T/T1/T2 parameters, the platform issuer keys with their end dates, the last applied
 * notification sequence (a locked phone must still check, and refuse replays of, platform
 * notices), the terminal certificates the platform suspended, and the wipe marker. None of it is secret: the walletId is in every SELECT answer.
 *
 * WalletSecrets — sealed under the identity-bound key: the wallet's private key, the
 * e-cash balance, the counter, the offline totals since sync, certificate, freshness token
 * and the log of signed records.
 *
 * Both serialize to JSON with bytes as hex; parsing checks every field, because a file
 * from a future version or a bug must be refused, not half-read.
 */
import { NO_END, WALLET_STATES, type WalletState } from '../../protocol';
import { StorageError } from '../errors';

/** Durations in seconds, as the platform set them at activation. */
export interface LockParameters {
  /** Locked (binding mismatch) longer than this → wipe (claim 25). */
  readonly T: number;
  /** Powered off longer than this → temporarily locked at power-on (claim 28). */
  readonly T1: number;
  /** No network longer than this → temporarily locked (claim 29). */
  readonly T2: number;
}

/** A platform issuer key the wallet trusts until `validUntil` (NO_END: no end set). */
export interface TrustedIssuerKey {
  /** Compressed P-256. */
  readonly publicKey: Uint8Array;
  readonly validUntil: number;
}

/** Suspended terminal certificate serials kept; certificates live 30 days, so few are live. */
export const MAX_SUSPENDED_TERMINALS = 256;

export interface AccessRecord {
  readonly walletId: Uint8Array | undefined;
  readonly state: WalletState;
  /** When the wallet entered `state`. */
  readonly since: number;
  /** Why, in words for the demo panel and logs. */
  readonly reason: string;
  readonly params: LockParameters | undefined;
  /** The platform's issuer keys; notices, tokens and terminal certificates verify under one. */
  readonly issuerKeys: readonly TrustedIssuerKey[];
  readonly notificationSequence: number;
  /** Terminal certificate serials named by suspend_terminal notices, oldest first. */
  readonly suspendedTerminals: readonly number[];
  /** Keyed fingerprint of the IMEI + IMSI the secrets were sealed under. */
  readonly identityFingerprint: Uint8Array | undefined;
  /** Wipe marker: when the offline payment data was erased. */
  readonly wipedAt: number | undefined;
}

export interface WalletSecrets {
  readonly walletId: Uint8Array;
  /** Signed WalletCertificate envelope, as the platform issued it. */
  readonly certificate: Uint8Array;
  /** The wallet's P-256 private scalar, 32 bytes. */
  readonly walletPrivateKey: Uint8Array;
  readonly bindingSalt: Uint8Array;
  readonly balance: number;
  /** The counter of the last signed record (0 before any payment). */
  readonly counter: number;
  readonly offlineCount: number;
  readonly offlineAmount: number;
  /** Signed FreshnessToken envelope from the last sync. */
  readonly freshness: Uint8Array;
  /** Signed PaymentRecord envelopes, newest first. */
  readonly log: readonly Uint8Array[];
  readonly activatedAt: number;
}

export const EMPTY_ACCESS: AccessRecord = {
  walletId: undefined,
  state: 'not_activated',
  since: 0,
  reason: 'not activated',
  params: undefined,
  issuerKeys: [],
  notificationSequence: 0,
  suspendedTerminals: [],
  identityFingerprint: undefined,
  wipedAt: undefined,
};

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const optionalHex = (bytes: Uint8Array | undefined): string | null =>
  bytes === undefined ? null : hex(bytes);

export function accessToJson(access: AccessRecord): string {
  return JSON.stringify({
    walletId: optionalHex(access.walletId),
    state: access.state,
    since: access.since,
    reason: access.reason,
    params: access.params ?? null,
    issuerKeys: access.issuerKeys.map((key) => ({
      publicKey: hex(key.publicKey),
      validUntil: key.validUntil,
    })),
    notificationSequence: access.notificationSequence,
    suspendedTerminals: access.suspendedTerminals,
    identityFingerprint: optionalHex(access.identityFingerprint),
    wipedAt: access.wipedAt ?? null,
  });
}

export function secretsToJson(secrets: WalletSecrets): string {
  return JSON.stringify({
    walletId: hex(secrets.walletId),
    certificate: hex(secrets.certificate),
    walletPrivateKey: hex(secrets.walletPrivateKey),
    bindingSalt: hex(secrets.bindingSalt),
    balance: secrets.balance,
    counter: secrets.counter,
    offlineCount: secrets.offlineCount,
    offlineAmount: secrets.offlineAmount,
    freshness: hex(secrets.freshness),
    log: secrets.log.map(hex),
    activatedAt: secrets.activatedAt,
  });
}

/** Field-by-field reader of a parsed JSON object; any surprise is StorageError corrupt. */
class Fields {
  constructor(
    private readonly object: Record<string, unknown>,
    private readonly where: string,
  ) {}

  static parse(json: string, where: string): Fields {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new StorageError('corrupt', `${where} is not JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new StorageError('corrupt', `${where} is not an object`);
    }
    return new Fields(value as Record<string, unknown>, where);
  }

  has(name: string): boolean {
    return this.object[name] !== undefined;
  }

  private fail(name: string, expected: string): never {
    throw new StorageError('corrupt', `${this.where}.${name} is not ${expected}`);
  }

  uint(name: string): number {
    const value = this.object[name];
    if (!Number.isSafeInteger(value) || (value as number) < 0) this.fail(name, 'a whole number');
    return value as number;
  }

  optionalUint(name: string): number | undefined {
    return this.object[name] === null ? undefined : this.uint(name);
  }

  string(name: string): string {
    const value = this.object[name];
    if (typeof value !== 'string') this.fail(name, 'a string');
    return value;
  }

  bytes(name: string, value: unknown = this.object[name]): Uint8Array {
    if (typeof value !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(value)) this.fail(name, 'hex');
    return new Uint8Array(Buffer.from(value, 'hex'));
  }

  optionalBytes(name: string): Uint8Array | undefined {
    return this.object[name] === null ? undefined : this.bytes(name);
  }

  bytesList(name: string): Uint8Array[] {
    const value = this.object[name];
    if (!Array.isArray(value)) this.fail(name, 'a list');
    return value.map((item) => this.bytes(name, item));
  }

  uintList(name: string): number[] {
    const value = this.object[name];
    if (!Array.isArray(value) || !value.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      this.fail(name, 'a list of whole numbers');
    }
    return value as number[];
  }

  /**
   * Issuer keys: `{publicKey, validUntil}` objects; a bare hex key is a file written before
   * keys had end dates, whose keys then have none.
   */
  issuerKeys(name: string): TrustedIssuerKey[] {
    const value = this.object[name];
    if (!Array.isArray(value)) this.fail(name, 'a list');
    return value.map((item: unknown) => {
      if (typeof item === 'string')
        return { publicKey: this.bytes(name, item), validUntil: NO_END };
      if (typeof item !== 'object' || item === null) this.fail(name, 'issuer keys');
      const inner = new Fields(item as Record<string, unknown>, `${this.where}.${name}`);
      return { publicKey: inner.bytes('publicKey'), validUntil: inner.uint('validUntil') };
    });
  }

  state(name: string): WalletState {
    const value = this.object[name];
    if (!(WALLET_STATES as readonly unknown[]).includes(value)) this.fail(name, 'a wallet state');
    return value as WalletState;
  }

  params(name: string): LockParameters | undefined {
    const value = this.object[name];
    if (value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || value === undefined) {
      this.fail(name, 'lock parameters');
    }
    const inner = new Fields(value as Record<string, unknown>, `${this.where}.${name}`);
    return { T: inner.uint('T'), T1: inner.uint('T1'), T2: inner.uint('T2') };
  }
}

export function accessFromJson(json: string): AccessRecord {
  const f = Fields.parse(json, 'access');
  return {
    walletId: f.optionalBytes('walletId'),
    state: f.state('state'),
    since: f.uint('since'),
    reason: f.string('reason'),
    params: f.params('params'),
    issuerKeys: f.issuerKeys('issuerKeys'),
    notificationSequence: f.uint('notificationSequence'),
    // Absent in files written before terminals were certified: none suspended then.
    suspendedTerminals: f.has('suspendedTerminals') ? f.uintList('suspendedTerminals') : [],
    identityFingerprint: f.optionalBytes('identityFingerprint'),
    wipedAt: f.optionalUint('wipedAt'),
  };
}

export function secretsFromJson(json: string): WalletSecrets {
  const f = Fields.parse(json, 'secrets');
  return {
    walletId: f.bytes('walletId'),
    certificate: f.bytes('certificate'),
    walletPrivateKey: f.bytes('walletPrivateKey'),
    bindingSalt: f.bytes('bindingSalt'),
    balance: f.uint('balance'),
    counter: f.uint('counter'),
    offlineCount: f.uint('offlineCount'),
    offlineAmount: f.uint('offlineAmount'),
    freshness: f.bytes('freshness'),
    log: f.bytesList('log'),
    activatedAt: f.uint('activatedAt'),
  };
}
