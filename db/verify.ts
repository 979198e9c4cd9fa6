/**
 * Recomputes the ledger's hash chain from 32 zero bytes and checks every stored entry
 * against it: an edited, deleted, inserted or reordered entry breaks it at a row that is
 * reported, never repaired. Also checks what the chain does not hash but money depends on:
 * the decoded columns of a payment agree with its signed record, a void with its payment.
 */
import type Database from 'better-sqlite3';
import { PaymentRecord } from '../protocol';
import { GENESIS_HEAD, nextHead, paymentEntryHash, voidEntryHash } from './chain';

export type ChainCheck =
  { ok: true; length: number; head: Buffer } | { ok: false; brokenAt: number; reason: string };

export type IntegrityCheck = { ok: true } | { ok: false; problems: string[] };

export interface StartupCheck {
  /** False when the caller skipped the checks (benchmarks only); `ok` is then false too. */
  checked: boolean;
  integrity: IntegrityCheck;
  chain: ChainCheck;
  ok: boolean;
}

interface EntryRow {
  kind: 'payment' | 'void';
  seq: number;
  chainHash: Buffer;
  walletId: Buffer;
  counter: number;
  amount: number;
  at: number;
  hash: Buffer;
  record: Buffer | null;
  paymentStatus: string | null;
  currency: number | null;
  merchantId: string | null;
  terminalId: string | null;
  nonce: Buffer | null;
  /** Payment: a void names it. Void: its payment has the same wallet and counter. */
  linked: number | null;
  paymentAmount: number | null;
}

const ENTRIES = `
SELECT 'payment' AS kind, p.chain_seq AS seq, p.chain_hash AS chainHash, p.wallet_id AS walletId,
  p.counter, p.amount, p.terminal_time AS at, p.body_hash AS hash, p.record,
  p.status AS paymentStatus, p.currency, p.merchant_id AS merchantId, p.terminal_id AS terminalId,
  p.nonce, EXISTS (SELECT 1 FROM voids v WHERE v.payment_id = p.id) AS linked,
  p.amount AS paymentAmount
FROM payments p
UNION ALL
SELECT 'void', v.chain_seq, v.chain_hash, v.wallet_id, v.counter, v.amount, v.voided_at,
  v.entry_hash, NULL, p.status, NULL, NULL, NULL, NULL,
  p.wallet_id = v.wallet_id AND p.counter = v.counter, p.amount
FROM voids v LEFT JOIN payments p ON p.id = v.payment_id
ORDER BY seq`;

/** Why a payment row disagrees with its own signed record, or undefined when it agrees. */
function paymentProblem(row: EntryRow): string | undefined {
  let record;
  try {
    record = PaymentRecord.decode(row.record ?? Buffer.alloc(0));
  } catch {
    return 'the stored record does not decode';
  }
  const v = record.value;
  const agrees =
    Buffer.from(v.walletId).equals(row.walletId) &&
    v.counter === row.counter &&
    v.amount === row.amount &&
    v.currency === row.currency &&
    v.merchantId === row.merchantId &&
    v.terminalId === row.terminalId &&
    v.terminalTime === row.at &&
    Buffer.from(v.nonce).equals(row.nonce ?? Buffer.alloc(0));
  if (!agrees) return 'the payment columns differ from its signed record';
  if (!paymentEntryHash(record.body).equals(row.hash)) return 'body_hash differs from the record';
  if ((row.paymentStatus === 'voided') !== (row.linked === 1)) {
    return 'status voided without a void entry, or a void entry without status voided';
  }
  return undefined;
}

function voidProblem(row: EntryRow): string | undefined {
  if (row.linked !== 1 || row.paymentAmount !== row.amount || row.paymentStatus !== 'voided') {
    return 'the void differs from its payment';
  }
  const entry = {
    walletId: row.walletId,
    counter: row.counter,
    amount: row.amount,
    voidedAt: row.at,
  };
  if (!voidEntryHash(entry).equals(row.hash)) return 'entry_hash differs from the void';
  return undefined;
}

export function verifyChain(db: Database.Database): ChainCheck {
  let head = GENESIS_HEAD;
  let length = 0;
  for (const row of db.prepare(ENTRIES).iterate() as IterableIterator<EntryRow>) {
    const expected = length + 1;
    if (row.seq !== expected) {
      const reason = row.seq < expected ? 'two entries share a position' : 'an entry is missing';
      return { ok: false, brokenAt: expected, reason };
    }
    const problem = row.kind === 'payment' ? paymentProblem(row) : voidProblem(row);
    if (problem) return { ok: false, brokenAt: row.seq, reason: problem };
    head = nextHead(head, row.hash);
    if (!head.equals(row.chainHash)) {
      return {
        ok: false,
        brokenAt: row.seq,
        reason: 'chain_hash does not follow the entry before',
      };
    }
    length = expected;
  }
  const tip = db.prepare('SELECT seq, head FROM chain_tip WHERE id = 1').get() as
    { seq: number; head: Buffer } | undefined;
  if (!tip || tip.seq !== length || !tip.head.equals(head)) {
    return {
      ok: false,
      brokenAt: length + 1,
      reason: 'the chain tip does not match the last entry',
    };
  }
  return { ok: true, length, head };
}

export function integrityCheck(db: Database.Database): IntegrityCheck {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  const violations = db.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) problems.push(`${violations.length} foreign key violations`);
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

export function startupCheck(db: Database.Database): StartupCheck {
  const integrity = integrityCheck(db);
  // A chain read from a corrupt file means nothing; report the corruption alone.
  const chain: ChainCheck = integrity.ok
    ? verifyChain(db)
    : { ok: false, brokenAt: 0, reason: 'not checked: integrity_check failed' };
  return { checked: true, integrity, chain, ok: integrity.ok && chain.ok };
}
