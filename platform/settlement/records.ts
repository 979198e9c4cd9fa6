/**
 * Inside the batch transaction: duplicates, double-spends and revocations, the checks that
 * concurrent batches can race on. settlement_payments' (wallet, counter) primary key is
 * the arbiter: an insert that conflicts waits for the other transaction, then sees its row.
 *
 * Liability after a revocation (docs/protocol.md "Liability after a revocation"): with R
 * the revocation time, A the terminal's hotlistMaxAgeSeconds and t the record's time, a
 * record is the wallet account's when t ≤ R; for R < t ≤ R + A the terminal could not yet
 * hold a hotlist listing the wallet, so it is honoured, at the platform's cost after a lost
 * or stolen report and at the account's otherwise; after R + A it is the terminal's
 * (rejected `revoked`). t is the terminal's clock, so it is taken no earlier than the
 * upload time less the terminal's settlement period and upload allowance: a record presented
 * later than its deadline is judged as if made at the deadline's start.
 */
import { sql, type Transaction } from 'kysely';
import {
  WALLET_ID_SIZE,
  type RecordStatus,
  type RejectReason,
  type SettlementResultEntry,
} from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import type { Batch, CheckedRecord } from './checks';

const LIVE = new Set(['active', 'locked']);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const keyOrder = (a: CheckedRecord, b: CheckedRecord): number =>
  a.walletHex < b.walletHex
    ? -1
    : a.walletHex > b.walletHex
      ? 1
      : a.record.value.counter - b.record.value.counter;

/** Who pays for a record: its wallet's account, the platform, or nobody (the terminal). */
export type Liability = 'wallet' | 'platform' | 'terminal';

/** The terminal's parameters the liability rule reads. */
export interface LiabilityWindow {
  /** A: the oldest hotlist the terminal may take payments with (hotlistMaxAgeSeconds). */
  readonly hotlistMaxAge: number;
  /** P + W: the settlement period plus the upload allowance: a record's latest presentment. */
  readonly presentWithin: number;
}

const LOST = new Set(['lost', 'stolen']);

export function liabilityOf(
  wallet: { status: string; revokedAt: number | null; reason: string | null },
  terminalTime: number,
  window: LiabilityWindow,
  uploadedAt: number,
): Liability {
  if (LIVE.has(wallet.status)) return 'wallet';
  if (wallet.revokedAt === null) return 'terminal';
  const t = Math.max(terminalTime, uploadedAt - window.presentWithin);
  if (t <= wallet.revokedAt) return 'wallet';
  if (t > wallet.revokedAt + window.hotlistMaxAge) return 'terminal';
  return wallet.reason !== null && LOST.has(wallet.reason) ? 'platform' : 'wallet';
}

export interface Sorted {
  readonly entries: SettlementResultEntry[];
  /** walletHex → sum of its records accepted in this batch and charged to it. */
  readonly debits: Map<string, number>;
  /** Accepted records the platform pays for (after a lost or stolen report). */
  platformBorne: number;
  /** Double-spent records the merchant is paid for (from the loss account). */
  honouredDoubleSpends: number;
  /** Wallets newly caught double-spending: revoked in this transaction. */
  readonly flagged: Map<string, Uint8Array>;
}

export async function sortRecords(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  checked: readonly CheckedRecord[],
  window: LiabilityWindow,
  now: number,
): Promise<Sorted> {
  const outcome: { status: RecordStatus; reason: RejectReason }[] = checked.map((c) =>
    c.reason === undefined
      ? { status: 'rejected', reason: 'none' }
      : { status: 'rejected', reason: c.reason },
  );
  const ids = [...new Set(checked.map((c) => c.walletHex))].map((h) => Buffer.from(h, 'hex'));
  const states = new Map<
    string,
    { status: string; revokedAt: number | null; reason: string | null }
  >();
  if (ids.length > 0) {
    const rows = await trx
      .selectFrom('wallets')
      .select(['wallet_id', 'status', 'revoked_at', 'revoke_reason'])
      .where('wallet_id', 'in', ids)
      .execute();
    for (const row of rows)
      states.set(hex(row.wallet_id), {
        status: row.status,
        revokedAt: row.revoked_at,
        reason: row.revoke_reason,
      });
  }
  const liability = (c: CheckedRecord): Liability => {
    const state = states.get(c.walletHex);
    return state === undefined
      ? 'terminal'
      : liabilityOf(state, c.record.value.terminalTime, window, now);
  };
  const inTime = (c: CheckedRecord): boolean => liability(c) !== 'terminal';

  // Repeats of one (wallet, counter) inside the batch go in later rounds, so that each
  // insert statement names a key once and a repeat is judged against the first.
  const rank = new Map<string, number>();
  const rounds: number[][] = [];
  checked.forEach((c, index) => {
    if (c.reason !== undefined) return;
    const key = `${c.walletHex}:${c.record.value.counter}`;
    const r = rank.get(key) ?? 0;
    rank.set(key, r + 1);
    (rounds[r] ??= []).push(index);
  });

  const sorted: Sorted = {
    entries: [],
    debits: new Map(),
    platformBorne: 0,
    honouredDoubleSpends: 0,
    flagged: new Map(),
  };
  const borne: CheckedRecord[] = [];
  for (const round of rounds) {
    // Inserted in key order, so that two batches sharing keys lock them in the same order.
    const fresh = round
      .filter((i) => inTime(checked[i] as CheckedRecord))
      .sort((x, y) => keyOrder(checked[x] as CheckedRecord, checked[y] as CheckedRecord));
    const inserted = await insertPayments(
      trx,
      batch,
      fresh.map((i) => checked[i] as CheckedRecord),
    );
    const accepted = new Set(inserted.map((position) => fresh[position]));
    const others: number[] = [];
    for (const i of round) {
      const c = checked[i] as CheckedRecord;
      if (accepted.has(i)) {
        outcome[i] = { status: 'accepted', reason: 'none' };
        if (liability(c) === 'platform') {
          sorted.platformBorne += c.record.value.amount;
          borne.push(c);
          continue;
        }
        sorted.debits.set(
          c.walletHex,
          (sorted.debits.get(c.walletHex) ?? 0) + c.record.value.amount,
        );
      } else others.push(i);
    }
    await judgeConflicts(trx, batch, checked, others, inTime, outcome, sorted, now);
  }
  // Rare (payments after a lost report): one update each, so the fast insert stays plain.
  for (const c of borne)
    await trx
      .updateTable('settlement_payments')
      .set({ liability: 'platform' })
      .where('wallet_id', '=', c.record.value.walletId)
      .where('counter', '=', c.record.value.counter)
      .execute();
  checked.forEach((c, i) => {
    const { status, reason } = outcome[i] as { status: RecordStatus; reason: RejectReason };
    sorted.entries.push({
      walletId: c.record.value.walletId,
      counter: c.record.value.counter,
      status,
      reason,
    });
  });
  return sorted;
}

/**
 * One statement for the whole batch. The fixed-size byte columns travel as one binary
 * parameter each, cut by position on the server, and the integers as one array literal
 * each: a thousand-row VALUES list, or arrays of bytea (sent as escaped hex text), cost more
 * to build, send and parse than the rows cost to insert. Rows go in the order given, and
 * the answer is the positions (0-based) that were inserted; the others' keys existed.
 *
 * Nearly every batch is all new records, so a plain insert is tried first, under a
 * savepoint: ON CONFLICT's speculative insertion and the RETURNING join cost the server
 * about a third more per row. A key that exists (a duplicate or a double-spend, or a
 * concurrent batch that committed it first) aborts it, and the statement that sorts them
 * out runs instead.
 */
async function insertPayments(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  records: readonly CheckedRecord[],
): Promise<number[]> {
  if (records.length === 0) return [];
  // Every record here passed ruleFor: it names the batch's own terminal and merchant.
  const { batchId, merchantId, terminalId } = batch.value;
  const [ID, HASH] = [sql.lit(WALLET_ID_SIZE), sql.lit(32)];
  const packed = (pick: (c: CheckedRecord) => Uint8Array) => Buffer.concat(records.map(pick));
  const integers = (pick: (c: CheckedRecord) => number) => `{${records.map(pick).join(',')}}`;
  const input = sql`
    select ord,
      substring(${packed((c) => c.record.value.walletId)}::bytea
        from (ord::int - 1) * ${ID} + 1 for ${ID}) as wallet_id,
      substring(${packed((c) => c.bodyHash)}::bytea
        from (ord::int - 1) * ${HASH} + 1 for ${HASH}) as body_hash,
      counter, amount, terminal_time
    from unnest(
      ${integers((c) => c.record.value.counter)}::bigint[],
      ${integers((c) => c.record.value.amount)}::bigint[],
      ${integers((c) => c.record.value.terminalTime)}::bigint[]
    ) with ordinality as r (counter, amount, terminal_time, ord)`;
  const insert = sql`
    insert into settlement_payments
      (wallet_id, counter, body_hash, batch_id, amount, merchant_id, terminal_id,
       terminal_time, status)
    select wallet_id, counter, body_hash, ${batchId}, amount, ${merchantId}, ${terminalId},
      terminal_time, 'accepted'
    from input order by ord`;

  await sql`savepoint new_payments`.execute(trx);
  try {
    await sql`with input as (${input}) ${insert}`.execute(trx);
    await sql`release savepoint new_payments`.execute(trx);
    return records.map((_, position) => position);
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await sql`rollback to savepoint new_payments`.execute(trx);
  }
  const { rows } = await sql<{ position: number }>`
    with input as (${input}), inserted as (
      ${insert}
      on conflict (wallet_id, counter) do nothing
      returning wallet_id, counter
    )
    select (input.ord - 1)::int as position
    from input join inserted using (wallet_id, counter)`.execute(trx);
  return rows.map((row) => row.position);
}

const UNIQUE_VIOLATION = '23505';

/** Records whose (wallet, counter) was taken, or that came too late after a revocation. */
async function judgeConflicts(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  checked: readonly CheckedRecord[],
  indexes: readonly number[],
  inTime: (c: CheckedRecord) => boolean,
  outcome: { status: RecordStatus; reason: RejectReason }[],
  sorted: Sorted,
  now: number,
): Promise<void> {
  if (indexes.length === 0) return;
  const wanted = indexes.map((i) => checked[i] as CheckedRecord);
  const existing = new Map<string, Uint8Array>();
  const rows = await trx
    .selectFrom('settlement_payments')
    .select(['wallet_id', 'counter', 'body_hash'])
    .where(
      'wallet_id',
      'in',
      [...new Set(wanted.map((c) => c.walletHex))].map((h) => Buffer.from(h, 'hex')),
    )
    .where('counter', 'in', [...new Set(wanted.map((c) => c.record.value.counter))])
    .execute();
  for (const row of rows) existing.set(`${hex(row.wallet_id)}:${row.counter}`, row.body_hash);

  for (const i of indexes) {
    const c = checked[i] as CheckedRecord;
    const taken = existing.get(`${c.walletHex}:${c.record.value.counter}`);
    if (taken === undefined) {
      outcome[i] = { status: 'rejected', reason: 'revoked' };
      continue;
    }
    if (Buffer.from(taken).equals(c.bodyHash)) {
      outcome[i] = { status: 'duplicate', reason: 'none' };
      continue;
    }
    // Same wallet and counter, other body: one wallet state spent twice. Keep it next to
    // the first; the flag is unique, so a batch retried under a new id flags it once.
    const honoured = inTime(c);
    const flag = await trx
      .insertInto('settlement_double_spends')
      .values({
        wallet_id: c.record.value.walletId,
        counter: c.record.value.counter,
        body_hash: c.bodyHash,
        record: c.record.encoded,
        batch_id: batch.value.batchId,
        terminal_id: batch.value.terminalId,
        amount: c.record.value.amount,
        honoured,
        flagged_at: now,
      })
      .onConflict((oc) => oc.columns(['wallet_id', 'counter', 'body_hash']).doNothing())
      .returning('counter')
      .executeTakeFirst();
    if (flag === undefined) {
      outcome[i] = { status: 'duplicate', reason: 'none' };
      continue;
    }
    outcome[i] = { status: 'double_spend', reason: honoured ? 'none' : 'revoked' };
    if (honoured) sorted.honouredDoubleSpends += c.record.value.amount;
    sorted.flagged.set(c.walletHex, c.record.value.walletId);
  }
}
