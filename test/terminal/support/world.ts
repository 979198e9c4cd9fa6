/**
 * Real protocol objects for the terminal's checks, signed by test keys: the handsets' test
 * issuer (test/handset/support/platform.ts), a wallet key, a terminal certificate, and a
 * TerminalSetup around them. Every field can be overridden to craft a bad input.
 */
import { randomBytes } from 'node:crypto';
import type { PaymentRequest } from '../../../protocol';
import {
  bindingDigest,
  FreshnessToken,
  keyIdOf,
  PaymentRecord,
  signingKeyFromScalar,
  WalletCertificate,
  type HotlistEntry,
  type Signed,
  type SigningKey,
} from '../../../protocol';
import type {
  HotlistView,
  TerminalParameters,
  TerminalSetup,
  TrustKey,
} from '../../../main/terminal/model';
import { DAY, EUR, issuerKey } from '../../handset/support/platform';
import { certifyTerminal, terminalKey } from '../../handset/support/terminal';

/** 2026-01-11T00:00:00Z: the terminal's clock in these tests. */
export const NOW = 1_768_089_600;
export const clock = { now: () => NOW };

export const walletKey: SigningKey = signingKeyFromScalar(new Uint8Array(32).fill(0x55));
export const WALLET_ID = Uint8Array.from(Buffer.from('57a1e7000000000000000000000000c3', 'hex'));
export const OTHER_WALLET_ID = Uint8Array.from(
  Buffer.from('57a1e7000000000000000000000000d4', 'hex'),
);

export const trustKey: TrustKey = {
  keyId: keyIdOf(issuerKey.publicKey),
  publicKey: issuerKey.publicKey,
  retiredAt: null,
};

export const parameters: TerminalParameters = {
  currency: EUR,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 10,
  freshnessMaxAgeSeconds: 2 * DAY,
  hotlistMaxAgeSeconds: DAY,
  settlement: { periodSeconds: DAY, uploadWithinSeconds: 6 * 3_600 },
};

export function walletCertificate(
  fields: Partial<WalletCertificate> = {},
  signer: SigningKey = issuerKey,
): Signed<WalletCertificate> {
  return WalletCertificate.sign(
    {
      serial: 1_000_001,
      walletId: WALLET_ID,
      walletPublicKey: walletKey.publicKey,
      bindingDigest: bindingDigest('490154203237518', '310150123456789', new Uint8Array(16)),
      issuerKeyId: keyIdOf(issuerKey.publicKey),
      validFrom: NOW - 30 * DAY,
      validUntil: NOW + 300 * DAY,
      currency: EUR,
      limitPerPayment: 5_000,
      limitOfflineAmount: 20_000,
      limitOfflineCount: 10,
      ...fields,
    },
    signer,
  );
}

export function freshnessToken(
  fields: Partial<FreshnessToken> = {},
  signer: SigningKey = issuerKey,
): Signed<FreshnessToken> {
  return FreshnessToken.sign(
    {
      walletId: WALLET_ID,
      issuerKeyId: keyIdOf(issuerKey.publicKey),
      syncTime: NOW - 3_600,
      balance: 10_000,
      counter: 4,
      ...fields,
    },
    signer,
  );
}

export function paymentRequest(fields: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    amount: 1_250,
    currency: EUR,
    merchantId: 'M-0001',
    terminalId: 'T-0001-01',
    terminalTime: NOW,
    nonce: new Uint8Array(randomBytes(16)),
    ...fields,
  };
}

/** The record an honest wallet signs for `request` (counter 5 after a token at 4). */
export function paymentRecord(
  request: PaymentRequest,
  fields: Partial<PaymentRecord> = {},
  signer: SigningKey = walletKey,
): Signed<PaymentRecord> {
  return PaymentRecord.sign(
    {
      walletId: WALLET_ID,
      counter: 5,
      ...request,
      balanceAfter: 10_000 - request.amount,
      offlineCount: 1,
      offlineAmount: request.amount,
      ...fields,
    },
    signer,
  );
}

/** A hotlist view over a plain list: what the sync service's structure answers. */
export class MemoryHotlist implements HotlistView {
  private readonly entries = new Map<string, HotlistEntry>();
  private readonly noticesOf = new Map<string, Uint8Array[]>();

  constructor(
    readonly version: number,
    readonly issuedAt: number | undefined,
    entries: readonly HotlistEntry[] = [],
    notices: readonly { walletId: Uint8Array; encoded: Uint8Array }[] = [],
  ) {
    for (const entry of entries) this.entries.set(hexOf(entry.walletId), entry);
    for (const notice of notices) {
      const key = hexOf(notice.walletId);
      this.noticesOf.set(key, [...(this.noticesOf.get(key) ?? []), notice.encoded]);
    }
  }

  lookup(walletId: Uint8Array): HotlistEntry | undefined {
    return this.entries.get(hexOf(walletId));
  }

  notices(walletId: Uint8Array): readonly Uint8Array[] {
    return this.noticesOf.get(hexOf(walletId)) ?? [];
  }
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export function terminalSetup(overrides: Partial<TerminalSetup> = {}): TerminalSetup {
  return {
    identity: {
      merchantId: 'M-0001',
      terminalId: 'T-0001-01',
      certificate: certifyTerminal(clock),
      signer: terminalKey,
    },
    parameters,
    trustKeys: [trustKey],
    hotlist: new MemoryHotlist(1, NOW - 3_600),
    ...overrides,
  };
}

/**
 * The same envelope with its outer length in a longer form than needed: the same bytes
 * otherwise, refused by canonical decoding.
 */
export function nonCanonical(envelope: Uint8Array): Uint8Array {
  const bytes = Buffer.from(envelope);
  const first = bytes[1] as number;
  if (first < 0x80)
    return Buffer.concat([bytes.subarray(0, 1), Buffer.of(0x81, first), bytes.subarray(2)]);
  if (first === 0x81) {
    return Buffer.concat([
      bytes.subarray(0, 1),
      Buffer.of(0x82, 0x00, bytes[2] as number),
      bytes.subarray(3),
    ]);
  }
  throw new Error('nonCanonical: envelope too long for this helper');
}
