/**
 * What the demo panel and the CLI show of a wallet: its state and why, its money and
 * limits, and its log — everything but the private key. Built from the wallet's records;
 * plain data, ready for JSON.
 */
import { FreshnessToken, PaymentRecord, WalletCertificate, type WalletState } from '../../protocol';
import type { AccessRecord, LockParameters, WalletSecrets } from '../storage/records';

export type StorageView =
  /** No wallet file: never activated. */
  | 'empty'
  /** Secrets sealed and readable under the current identity. */
  | 'open'
  /** Secrets sealed under another IMEI / IMSI: unreadable here (S3). */
  | 'sealed_other_identity'
  /** Secrets erased (wiped). */
  | 'erased'
  /** The wallet file failed its integrity check; nothing in it is trusted. */
  | 'fault';

export interface LogEntry {
  readonly counter: number;
  readonly amount: number;
  readonly currency: number;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly terminalTime: number;
  readonly balanceAfter: number;
}

export interface WalletSnapshot {
  readonly state: WalletState;
  readonly since: number;
  readonly reason: string;
  readonly storage: StorageView;
  /** Hex; undefined before activation. */
  readonly walletId: string | undefined;
  readonly currency: number | undefined;
  readonly balance: number | undefined;
  readonly counter: number | undefined;
  readonly offlineCount: number | undefined;
  readonly offlineAmount: number | undefined;
  readonly limits:
    | { readonly perPayment: number; readonly offlineAmount: number; readonly offlineCount: number }
    | undefined;
  readonly certificateValidUntil: number | undefined;
  readonly params: LockParameters | undefined;
  readonly lastSequence: number;
  readonly lastSync: number | undefined;
  readonly wipedAt: number | undefined;
  /** Newest first. */
  readonly log: readonly LogEntry[];
}

export function buildSnapshot(
  access: AccessRecord,
  secrets: WalletSecrets | undefined,
  storage: StorageView,
): WalletSnapshot {
  const cert = secrets ? WalletCertificate.decode(secrets.certificate).value : undefined;
  const token = secrets ? FreshnessToken.decode(secrets.freshness).value : undefined;
  return {
    state: access.state,
    since: access.since,
    reason: access.reason,
    storage,
    walletId: access.walletId ? Buffer.from(access.walletId).toString('hex') : undefined,
    currency: cert?.currency,
    balance: secrets?.balance,
    counter: secrets?.counter,
    offlineCount: secrets?.offlineCount,
    offlineAmount: secrets?.offlineAmount,
    limits: cert && {
      perPayment: cert.limitPerPayment,
      offlineAmount: cert.limitOfflineAmount,
      offlineCount: cert.limitOfflineCount,
    },
    certificateValidUntil: cert?.validUntil,
    params: access.params,
    lastSequence: access.notificationSequence,
    lastSync: token?.syncTime,
    wipedAt: access.wipedAt,
    log: (secrets?.log ?? []).map((encoded) => {
      const r = PaymentRecord.decode(encoded).value;
      return {
        counter: r.counter,
        amount: r.amount,
        currency: r.currency,
        merchantId: r.merchantId,
        terminalId: r.terminalId,
        terminalTime: r.terminalTime,
        balanceAfter: r.balanceAfter,
      };
    }),
  };
}
