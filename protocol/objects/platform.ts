/**
 * What the platform broadcasts: the hotlist of revoked wallets (full or delta) and
 * notifications to one wallet, which terminals relay to phones that are offline.
 */
import { list, struct, type ElementValue, type StructValue } from '../codec/elements';
import { F } from './fields';
import { defineSignedObject } from './signed';

const notificationFields = {
  notificationType: F.notificationType,
  walletId: F.walletId,
  sequence: F.sequence,
  issuerKeyId: F.issuerKeyId,
  issuedAt: F.issuedAt,
  /** Money moved by this notice (top-up, migrate-out); 0 when none. */
  amount: F.amount,
  /** The wallet's balance as the platform knows it after this notice. */
  balance: F.balance,
  /** The terminal certificate a suspend_terminal notice names; 0 for every other type. */
  serial: F.serial,
};
export type Notification = StructValue<typeof notificationFields>;
/** Platform → wallet. A wallet applies each sequence number at most once. */
export const Notification = defineSignedObject('notification', struct(0xe6, notificationFields));

/** Hotlists stay bounded: beyond this, terminals must take a newer full list. */
export const MAX_HOTLIST_ENTRIES = 100_000;
export const MAX_HOTLIST_NOTICES = 10_000;

const hotlistEntry = struct(0xff02, {
  walletId: F.walletId,
  reason: F.revocationReason,
  revokedAt: F.revokedAt,
});
export type HotlistEntry = ElementValue<typeof hotlistEntry>;

const hotlistFields = {
  hotlistVersion: F.hotlistVersion,
  kind: F.hotlistKind,
  /** For a delta, the version it applies on top of; 0 for a full list. */
  baseVersion: F.baseVersion,
  issuerKeyId: F.issuerKeyId,
  issuedAt: F.issuedAt,
  entries: list(0xff01, hotlistEntry, MAX_HOTLIST_ENTRIES),
  /** Signed lock / disable / wipe notices a terminal hands to a revoked phone that taps. */
  notices: list(0xff03, Notification.envelope, MAX_HOTLIST_NOTICES),
};
export type Hotlist = StructValue<typeof hotlistFields>;
export const Hotlist = defineSignedObject('hotlist', struct(0xe5, hotlistFields));

const issuerKeyFields = {
  /** The key that signs this announcement: one the wallet already trusts. */
  issuerKeyId: F.issuerKeyId,
  /** The issuer key announced (new, or already known with a shorter life). */
  announcedKey: F.announcedKey,
  issuedAt: F.issuedAt,
  /** After this the announced key verifies nothing; 2^32 − 1 when no end is set. */
  validUntil: F.validUntil,
};
export type IssuerKeyAnnouncement = StructValue<typeof issuerKeyFields>;
/**
 * Platform → wallet at sync: how a wallet learns an issuer key made after its activation,
 * and how it learns that a key it holds retires.
 */
export const IssuerKeyAnnouncement = defineSignedObject(
  'issuer-key',
  struct(0xea, issuerKeyFields),
);
/** validUntil of an issuer key with no retirement planned (2106-02-07). */
export const NO_END = 0xffff_ffff;
