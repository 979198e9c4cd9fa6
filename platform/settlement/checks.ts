/**
 * The settlement checks that need no transaction: decode the batch, check the terminal's
 * signature and ownership, then every record's certificate and signature on the verify
 * pool, and the per-record rules (terminal, currency, validity window, offline limits).
 * What is left for the transaction is what concurrent batches can change: duplicates,
 * double-spends and revocations (settle.ts).
 */
import type { Kysely } from 'kysely';
import {
  type PaymentRecord,
  SettlementBatch,
  isProtocolError,
  sha256,
  type RejectReason,
  type Signed,
  type WalletCertificate as Certificate,
} from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import { badRequest, forbidden } from '../errors';
import type { IssuerKeys } from '../keys/issuer-keys';
import type { CertificateCache, KnownCertificate } from './certificate-cache';
import type { VerifyItem, VerifyPool } from './verify-pool';

export type Batch = Signed<SettlementBatch>;
export type RecordEnvelope = Signed<PaymentRecord>;

export interface CheckedRecord {
  readonly record: RecordEnvelope;
  readonly walletHex: string;
  readonly bodyHash: Uint8Array;
  /** A refusal found before the transaction, or undefined when the record is well-formed. */
  readonly reason: RejectReason | undefined;
}

export interface WalletInfo {
  readonly walletId: Uint8Array;
  readonly certificate: Certificate | undefined;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The currency a terminal is set to (its parameters); undefined for a row that names none. */
function terminalCurrency(params: Readonly<Record<string, unknown>>): number | undefined {
  return typeof params.currency === 'number' ? params.currency : undefined;
}

/**
 * Decodes the envelope and checks it is the caller's, signed by the caller's key, in the
 * terminal's currency, over a period that ends after it starts and holds every record's
 * and void's time, with counts and totals that match.
 */
export function openBatch(
  envelope: Uint8Array,
  terminal: {
    terminalId: string;
    merchantId: string;
    publicKey: Uint8Array;
    params: Readonly<Record<string, unknown>>;
  },
): Batch {
  const batch = SettlementBatch.decode(envelope);
  if (
    batch.value.terminalId !== terminal.terminalId ||
    batch.value.merchantId !== terminal.merchantId
  )
    throw forbidden('not_your_resource', 'a terminal may upload only its own batches');
  try {
    SettlementBatch.verify(batch, terminal.publicKey);
  } catch (error) {
    if (isProtocolError(error))
      throw badRequest('batch_bad_signature', 'the batch does not verify under this terminal key');
    throw error;
  }
  const { records, voids, recordCount, total, voidTotal, periodStart, periodEnd } = batch.value;
  if (periodEnd < periodStart)
    throw badRequest('batch_bad_period', 'the batch period ends before it starts', 'periodEnd');
  const currency = terminalCurrency(terminal.params);
  if (currency !== undefined && batch.value.currency !== currency)
    throw badRequest(
      'batch_currency_mismatch',
      `the batch is in currency ${batch.value.currency}, the terminal is set to ${currency}`,
      'currency',
    );
  // Exact sums: 20,000 amounts near 2^53 would round as numbers and could match a total.
  const sum = (amounts: readonly number[]) => amounts.reduce((a, b) => a + BigInt(b), 0n);
  if (
    recordCount !== records.length ||
    BigInt(total) !== sum(records.map((r) => r.value.amount)) ||
    BigInt(voidTotal) !== sum(voids.map((v) => v.amount))
  )
    throw badRequest(
      'batch_inconsistent',
      'recordCount, total or voidTotal do not match the batch',
    );
  // The period is the span of the terminal's clock the batch covers, so a record or void
  // dated outside it is a terminal fault: refused whole, the terminal rebuilds the batch.
  const outside = (t: number) => t < periodStart || t > periodEnd;
  if (records.some((r) => outside(r.value.terminalTime)))
    throw badRequest(
      'batch_outside_period',
      'a record terminalTime lies outside [periodStart, periodEnd]',
      'records',
    );
  if (voids.some((v) => outside(v.voidedAt)))
    throw badRequest(
      'batch_outside_period',
      'a void voidedAt lies outside [periodStart, periodEnd]',
      'voids',
    );
  return batch;
}

/**
 * Loads the wallets named by the records, checks their certificates (cached) and every
 * record signature on the pool, and applies the rules of one record alone.
 */
export async function checkRecords(
  db: Kysely<PlatformDatabase>,
  keys: IssuerKeys,
  pool: VerifyPool,
  batch: Batch,
  certificates: CertificateCache,
): Promise<{ checked: CheckedRecord[]; wallets: Map<string, WalletInfo> }> {
  const { records } = batch.value;
  const ids = [...new Set(records.map((r) => hex(r.value.walletId)))];
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('wallets')
          .select(['wallet_id', 'certificate', 'public_key'])
          .where(
            'wallet_id',
            'in',
            ids.map((id) => Buffer.from(id, 'hex')),
          )
          .execute();

  const issuers = new Map<string, Uint8Array | undefined>();
  const wallets = new Map<string, WalletInfo & { publicKey: Uint8Array }>();
  const certificateItems: { walletHex: string; known: KnownCertificate; item: VerifyItem }[] = [];
  for (const row of rows) {
    const walletHex = hex(row.wallet_id);
    let certificate: Certificate | undefined;
    try {
      const known = certificates.known(walletHex, row.certificate);
      const signed = known.signed;
      const keyHex = hex(signed.value.issuerKeyId);
      if (!issuers.has(keyHex))
        issuers.set(keyHex, await keys.publicKeyFor(signed.value.issuerKeyId));
      const issuerKey = issuers.get(keyHex);
      const sameWallet =
        hex(signed.value.walletId) === walletHex &&
        Buffer.from(signed.value.walletPublicKey).equals(row.public_key);
      if (issuerKey !== undefined && sameWallet) {
        certificate = signed.value;
        if (known.verified === false) certificate = undefined;
        if (known.verified === undefined) {
          const item = {
            domain: 'certificate' as const,
            publicKey: issuerKey,
            signature: signed.signature,
            body: signed.body,
          };
          certificateItems.push({ walletHex, known, item });
        }
      }
    } catch (error) {
      if (!isProtocolError(error)) throw error;
    }
    wallets.set(walletHex, { walletId: row.wallet_id, certificate, publicKey: row.public_key });
  }

  const walletHexes = records.map((record) => hex(record.value.walletId));
  const recordItems: VerifyItem[] = [];
  const itemOf = new Int32Array(records.length).fill(-1);
  records.forEach((record, index) => {
    const wallet = wallets.get(walletHexes[index] as string);
    if (wallet === undefined) return;
    itemOf[index] = certificateItems.length + recordItems.length;
    recordItems.push({
      domain: 'record',
      publicKey: wallet.publicKey,
      signature: record.signature,
      body: record.body,
    });
  });
  const verdicts = await pool.verify([...certificateItems.map((c) => c.item), ...recordItems]);

  certificateItems.forEach(({ walletHex, known }, i) => {
    const ok = verdicts.ok[i] === true;
    known.verified = ok;
    const wallet = wallets.get(walletHex);
    if (!ok && wallet) wallets.set(walletHex, { ...wallet, certificate: undefined });
  });

  const checked = records.map((record, index): CheckedRecord => {
    const walletHex = walletHexes[index] as string;
    const wallet = wallets.get(walletHex);
    const item = itemOf[index] as number;
    if (wallet === undefined || item < 0)
      return { record, walletHex, bodyHash: sha256(record.body), reason: 'unknown_wallet' };
    const reason = ruleFor(batch.value, record.value, wallet, verdicts.ok[item] === true);
    return { record, walletHex, bodyHash: verdicts.bodyHash[item] as Uint8Array, reason };
  });
  return { checked, wallets };
}

function ruleFor(
  batch: SettlementBatch,
  record: PaymentRecord,
  wallet: WalletInfo,
  signatureOk: boolean,
): RejectReason | undefined {
  const certificate = wallet.certificate;
  // A certificate that does not verify (or names a retired issuer key) vouches for nothing.
  if (certificate === undefined || !signatureOk) return 'bad_signature';
  if (record.terminalId !== batch.terminalId || record.merchantId !== batch.merchantId)
    return 'wrong_terminal';
  if (record.currency !== batch.currency || record.currency !== certificate.currency)
    return 'currency_mismatch';
  if (record.terminalTime < certificate.validFrom || record.terminalTime > certificate.validUntil)
    return 'certificate_expired';
  if (
    record.amount > certificate.limitPerPayment ||
    record.offlineCount > certificate.limitOfflineCount ||
    record.offlineAmount > certificate.limitOfflineAmount
  )
    return 'limit_exceeded';
  return undefined;
}
