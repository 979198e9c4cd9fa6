/**
 * What the terminal knows of itself and of the platform, as the services share it: its
 * identity (ids, certificate, signing key), the trust keys, the parameters in force and the
 * hotlist. Types only; the enrollment and sync services keep them (db/terminal-store.ts,
 * db/hotlist-store.ts) and the checkout reads them at each tap.
 */
import type { TerminalParametersView } from '../../preload/contract';
import type { HotlistEntry, Signed, SigningKey, TerminalCertificate } from '../../protocol';

/** Seconds since the Unix epoch, by the terminal's clock (a test or demo may move it). */
export interface TerminalClock {
  now(): number;
}

/** The parameters the platform sets for this terminal (docs/protocol.md section 7.1). */
export type TerminalParameters = TerminalParametersView;

/** An issuer key to trust; it verifies while `retiredAt` is null or the clock is before it. */
export interface TrustKey {
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly retiredAt: number | null;
}

export interface TerminalIdentity {
  readonly merchantId: string;
  readonly terminalId: string;
  /** The certificate presented to wallets (the newest valid one after a renewal). */
  readonly certificate: Signed<TerminalCertificate>;
  /** Signs payment requests, settlement batches and platform requests; never leaves here. */
  readonly signer: SigningKey;
}

/** The hotlist in force, built for a million entries (lookup is a few microseconds). */
export interface HotlistView {
  /** Version of the last list applied; 0 before the first. */
  readonly version: number;
  /** `issuedAt` of the last list applied (its age decides whether payments may be taken). */
  readonly issuedAt: number | undefined;
  lookup(walletId: Uint8Array): HotlistEntry | undefined;
  /** Signed notice envelopes for this wallet, oldest first, to DELIVER when it taps. */
  notices(walletId: Uint8Array): readonly Uint8Array[];
}

/** Everything a tap needs besides the reader and the ledger, read at the start of each sale. */
export interface TerminalSetup {
  readonly identity: TerminalIdentity;
  readonly parameters: TerminalParameters;
  readonly trustKeys: readonly TrustKey[];
  readonly hotlist: HotlistView;
}
