/**
 * The terminal's payment ledger. Every write is one transaction that commits (durably:
 * synchronous=FULL) before the method returns, so the checkout announces "approved" only
 * for a payment already on disk. Payments and voids are entries of one hash chain.
 */
import type Database from 'better-sqlite3';
import type { PaymentRecord, Signed, VoidEntry } from '../protocol';
import { nextHead, paymentEntryHash, voidEntryHash } from './chain';
import { LedgerError, guarded } from './errors';
import { openLedger, type OpenLedgerOptions } from './open';
import * as batches from './batches';
import * as evidence from './evidence';
import { storeChecks, type StoredCheck } from './history';
import * as pending from './pending';
import type { ChainTip, PaymentRow, VoidRow } from './rows';
import { startupCheck, verifyChain, type ChainCheck, type StartupCheck } from './verify';

export interface OpenLedgerStoreOptions extends OpenLedgerOptions {
  /** Skips integrity_check and the chain check at open. Benchmarks only. */
  skipStartupCheck?: boolean;
}

const PAYMENT_COLUMNS = `id, wallet_id AS walletId, counter, amount, currency,
  merchant_id AS merchantId, terminal_id AS terminalId, terminal_time AS terminalTime, nonce,
  record, body_hash AS bodyHash, status, batch_id AS batchId, chain_seq AS chainSeq,
  chain_hash AS chainHash, created_at AS createdAt`;
const VOID_COLUMNS = `id, payment_id AS paymentId, wallet_id AS walletId, counter, amount,
  voided_at AS voidedAt, entry_hash AS entryHash, batch_id AS batchId, chain_seq AS chainSeq,
  chain_hash AS chainHash`;

/** The checks behind a payment, worded once its row (and chain position) is known. */
export type ChecksOf = (row: PaymentRow) => readonly StoredCheck[];

export class LedgerStore {
  private readonly statements;

  private constructor(
    readonly db: Database.Database,
    /** What the checks at open found; the terminal takes no payment unless `ok`. */
    readonly startup: StartupCheck,
  ) {
    this.statements = {
      tip: db.prepare('SELECT seq, head FROM chain_tip WHERE id = 1'),
      setTip: db.prepare('UPDATE chain_tip SET seq = ?, head = ? WHERE id = 1'),
      highest: db.prepare('SELECT highest FROM wallet_counters WHERE wallet_id = ?').pluck(),
      setHighest: db.prepare(
        `INSERT INTO wallet_counters (wallet_id, highest) VALUES (?, ?)
         ON CONFLICT (wallet_id) DO UPDATE SET highest = excluded.highest`,
      ),
      insertPayment: db.prepare(
        `INSERT INTO payments (wallet_id, counter, amount, currency, merchant_id, terminal_id,
           terminal_time, nonce, record, body_hash, status, chain_seq, chain_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?)
         RETURNING ${PAYMENT_COLUMNS}`,
      ),
      payment: db.prepare(
        `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE wallet_id = ? AND counter = ?`,
      ),
      markVoided: db.prepare(`UPDATE payments SET status = 'voided' WHERE id = ?`),
      insertVoid: db.prepare(
        `INSERT INTO voids (payment_id, wallet_id, counter, amount, voided_at, entry_hash,
           chain_seq, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${VOID_COLUMNS}`,
      ),
    };
  }

  static open(path: string, options: OpenLedgerStoreOptions = {}): LedgerStore {
    const db = openLedger(path, options);
    try {
      const startup: StartupCheck = options.skipStartupCheck
        ? {
            checked: false,
            integrity: { ok: false, problems: ['not checked'] },
            chain: verifyNothing(),
            ok: false,
          }
        : guarded('checking the ledger at start', () => startupCheck(db));
      return new LedgerStore(db, startup);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    guarded('closing the ledger', () => this.db.close());
  }

  chainHead(): ChainTip {
    return guarded('reading the chain head', () => this.statements.tip.get() as ChainTip);
  }

  verifyChain(): ChainCheck {
    return guarded('verifying the chain', () => verifyChain(this.db));
  }

  /** The highest counter seen from this wallet, for the checkout's replay check. */
  highestCounter(walletId: Uint8Array): number | undefined {
    return guarded(
      'reading a wallet counter',
      () => this.statements.highest.get(Buffer.from(walletId)) as number | undefined,
    );
  }

  /**
   * Stores a verified payment record, its chain link and the wallet's new highest counter
   * in one transaction, with the checks that approved it when given (one commit per tap).
   * A counter at or below the highest seen is refused, nothing written.
   */
  appendPayment(record: Signed<PaymentRecord>, at: number, checks?: ChecksOf): PaymentRow {
    const v = record.value;
    const walletId = Buffer.from(v.walletId);
    return guarded('storing a payment', () =>
      this.db
        .transaction(() => {
          const highest = this.statements.highest.get(walletId) as number | undefined;
          if (highest !== undefined && v.counter <= highest) {
            throw new LedgerError(
              'replayed_counter',
              `counter ${v.counter} is not above ${highest}, the highest seen from this wallet`,
              { counter: v.counter, highest },
            );
          }
          const bodyHash = paymentEntryHash(record.body);
          const link = this.link(bodyHash);
          const row = this.statements.insertPayment.get(
            walletId,
            v.counter,
            v.amount,
            v.currency,
            v.merchantId,
            v.terminalId,
            v.terminalTime,
            Buffer.from(v.nonce),
            Buffer.from(record.encoded),
            bodyHash,
            link.seq,
            link.head,
            at,
          ) as PaymentRow;
          this.statements.setHighest.run(walletId, v.counter);
          if (checks !== undefined) storeChecks(this.db, row.id, checks(row));
          return row;
        })
        .immediate(),
    );
  }

  payment(walletId: Uint8Array, counter: number): PaymentRow | undefined {
    return guarded(
      'reading a payment',
      () => this.statements.payment.get(Buffer.from(walletId), counter) as PaymentRow | undefined,
    );
  }

  /** Voids an unsettled payment (S13): a chain entry of its own, uploaded with the next batch. */
  voidPayment(walletId: Uint8Array, counter: number, voidedAt: number): VoidRow {
    return guarded('voiding a payment', () =>
      this.db
        .transaction(() => {
          const payment = this.statements.payment.get(Buffer.from(walletId), counter) as
            PaymentRow | undefined;
          if (!payment) throw new LedgerError('not_found', 'no such payment in this ledger');
          if (payment.status === 'voided') {
            throw new LedgerError('already_voided', 'this payment is already voided');
          }
          if (payment.status === 'settled') {
            throw new LedgerError('already_settled', 'a settled payment cannot be voided');
          }
          const entry: VoidEntry = {
            walletId: payment.walletId,
            counter,
            amount: payment.amount,
            voidedAt,
          };
          const entryHash = voidEntryHash(entry);
          const link = this.link(entryHash);
          this.statements.markVoided.run(payment.id);
          return this.statements.insertVoid.get(
            payment.id,
            payment.walletId,
            counter,
            payment.amount,
            voidedAt,
            entryHash,
            link.seq,
            link.head,
          ) as VoidRow;
        })
        .immediate(),
    );
  }

  /** Payments and voids no batch carries yet, in chain order. */
  unsettled(): batches.Unsettled {
    return guarded('reading unsettled entries', () => batches.unbatched(this.db));
  }

  /** Puts every unbatched payment and void in a new batch carrying the current chain head. */
  cutBatch(input: Parameters<typeof batches.cutBatch>[1]): batches.CutBatch {
    return guarded('cutting a settlement batch', () => batches.cutBatch(this.db, input));
  }

  batch(batchId: Uint8Array): batches.BatchRow | undefined {
    return guarded('reading a batch', () => batches.batch(this.db, batchId));
  }

  batchEntries(batchId: Uint8Array): batches.Unsettled {
    return guarded('reading a batch', () => batches.batchEntries(this.db, batchId));
  }

  openBatches(): batches.BatchRow[] {
    return guarded('reading open batches', () => batches.openBatches(this.db));
  }

  markUploaded(batchId: Uint8Array, at: number): void {
    guarded('marking a batch uploaded', () => batches.markUploaded(this.db, batchId, at));
  }

  /** The platform acknowledged the batch: its payments are settled and can no longer be voided. */
  markSettled(batchId: Uint8Array, at: number): void {
    guarded('marking a batch settled', () => batches.markSettled(this.db, batchId, at));
  }

  addPending(input: Parameters<typeof pending.addPending>[1]): void {
    guarded('storing a pending request', () => pending.addPending(this.db, input));
  }

  pendingRequests(): pending.PendingRequest[] {
    return guarded('reading pending requests', () => pending.pendingRequests(this.db));
  }

  /** The unresolved requests sent to this wallet, oldest first. */
  pendingFor(walletId: Uint8Array): pending.PendingRequest[] {
    return guarded('reading pending requests', () => pending.pendingFor(this.db, walletId));
  }

  /**
   * Stores the record that answers a pending request (and its checks) and marks the request
   * completed, in one transaction: a crash leaves either all or nothing.
   */
  completePending(record: Signed<PaymentRecord>, at: number, checks?: ChecksOf): PaymentRow {
    return guarded('completing a pending request', () =>
      this.db
        .transaction(() => {
          const row = this.appendPayment(record, at, checks);
          pending.resolvePending(this.db, record.value.nonce, 'completed', at);
          return row;
        })
        .immediate(),
    );
  }

  /**
   * A genuine record the terminal declines (above its own caps): stored and voided in one
   * transaction, so settlement carries the record and its void and the wallet is refunded.
   */
  appendVoidedPayment(
    record: Signed<PaymentRecord>,
    at: number,
  ): { payment: PaymentRow; void: VoidRow } {
    return guarded('storing a declined payment', () =>
      this.db
        .transaction(() => {
          const payment = this.appendPayment(record, at);
          pending.resolvePending(this.db, record.value.nonce, 'completed', at);
          const voided = this.voidPayment(record.value.walletId, record.value.counter, at);
          return { payment: { ...payment, status: 'voided' as const }, void: voided };
        })
        .immediate(),
    );
  }

  /**
   * Keeps a record that verifies but fails the counter or certificate-limit checks (clone
   * evidence) and closes the request it answers, in one transaction.
   */
  addEvidence(record: Signed<PaymentRecord>, reason: string, at: number): evidence.EvidenceRow {
    return guarded('storing evidence', () =>
      this.db
        .transaction(() => {
          const row = evidence.addEvidence(this.db, record, reason, at);
          pending.resolvePending(this.db, record.value.nonce, 'completed', at);
          return row;
        })
        .immediate(),
    );
  }

  evidenceRecords(): evidence.EvidenceRow[] {
    return guarded('reading evidence', () => evidence.evidenceRecords(this.db));
  }

  /** This wallet's payments stored here since `since` (the terminal's velocity limits). */
  walletActivity(walletId: Uint8Array, since: number): evidence.WalletActivity {
    return guarded('reading wallet activity', () =>
      evidence.walletActivity(this.db, walletId, since),
    );
  }

  resolvePending(nonce: Uint8Array, outcome: 'completed' | 'abandoned', at: number): boolean {
    return guarded('resolving a pending request', () =>
      pending.resolvePending(this.db, nonce, outcome, at),
    );
  }

  /** Moves the chain tip over one entry; called inside the entry's transaction. */
  private link(entryHash: Buffer): ChainTip {
    const tip = this.statements.tip.get() as ChainTip;
    const next = { seq: tip.seq + 1, head: nextHead(tip.head, entryHash) };
    this.statements.setTip.run(next.seq, next.head);
    return next;
  }
}

function verifyNothing(): ChainCheck {
  return { ok: false, brokenAt: 0, reason: 'not checked (skipStartupCheck)' };
}
