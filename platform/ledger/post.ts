/**
 * Posting to the double-entry ledger. Every movement of money is one ledger transaction of
 * two or more entries that sum to zero; an account's balance is the sum of its entries.
 *
 * Sign convention: a positive amount adds to what the account holds. Money entering the
 * system (a user paying in e-cash) is drawn from `platform:float`, which therefore runs
 * negative by exactly the e-cash outstanding; e.g. loading 500 onto a wallet:
 *   platform:float -500, wallet:<walletIdHex> +500.
 *
 * The database refuses unbalanced or changed ledger rows on its own (migration 0002);
 * postTransaction checks first so that callers get a typed error instead of a SQL one.
 *
 * Bound: every amount, and every balance a posting would leave, stays within
 * ±MAX_AMOUNT (2^53 − 1, what a JavaScript number holds exactly). A posting that would
 * take any of its accounts beyond is refused before anything is written, 422
 * `amount_too_large` — so no balance the platform reads can exceed it (platform:float, the
 * negative of all e-cash outstanding, included).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { badRequest, conflict, PlatformError } from '../errors';
import { toSafeNumber } from '../db/bigint';
import type { PlatformDatabase } from '../db/schema';

/** The largest amount, and the largest balance magnitude, the ledger holds. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export const amountTooLarge = (message: string, field?: string): PlatformError =>
  new PlatformError(422, 'amount_too_large', message, field);

export const LEDGER_ACCOUNT_KINDS = ['user', 'wallet', 'merchant', 'hold', 'platform'] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];
/** Same pattern as the ledger_entries check constraint. */
const ACCOUNT = /^(user|wallet|merchant|hold|platform):[A-Za-z0-9._:-]{1,100}$/;
const KIND = /^[a-z][a-z0-9_.]{0,63}$/;

/** `ledgerAccount('wallet', walletIdHex)` → 'wallet:…'; throws for an id the ledger refuses. */
export function ledgerAccount(kind: LedgerAccountKind, id: string): string {
  const account = `${kind}:${id}`;
  if (!ACCOUNT.test(account))
    throw badRequest('bad_ledger_account', `bad ledger account ${account}`);
  return account;
}

export interface LedgerEntry {
  readonly account: string;
  /** Signed minor units, non-zero, a safe integer. */
  readonly amount: number;
}

export interface LedgerPosting {
  /** What kind of movement: 'activation.load', 'settlement.record', ... */
  readonly kind: string;
  /** Idempotency key: posting the same reference again writes nothing. */
  readonly reference?: string;
  readonly entries: readonly LedgerEntry[];
  /** When, from the platform Clock (seconds). */
  readonly at: number;
}

export interface Posted {
  readonly txnId: number;
  /** True when the reference had been posted before and nothing new was written. */
  readonly replayed: boolean;
}

function check(posting: LedgerPosting): void {
  if (!KIND.test(posting.kind))
    throw badRequest('bad_ledger_kind', `bad ledger kind ${posting.kind}`);
  const ref = posting.reference;
  if (ref !== undefined && (ref.length < 1 || ref.length > 200)) {
    throw badRequest('bad_ledger_reference', 'ledger reference must be 1..200 characters');
  }
  if (posting.entries.length < 2) {
    throw badRequest('unbalanced_ledger', 'a ledger transaction needs at least two entries');
  }
  let sum = 0n;
  for (const { account, amount } of posting.entries) {
    if (!ACCOUNT.test(account))
      throw badRequest('bad_ledger_account', `bad ledger account ${account}`);
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw badRequest('bad_ledger_amount', `ledger amounts must be non-zero safe integers`);
    }
    sum += BigInt(amount);
  }
  if (sum !== 0n) throw badRequest('unbalanced_ledger', `ledger entries sum to ${sum}, not 0`);
}

/**
 * Refuses the posting when any account's balance after it would leave ±MAX_AMOUNT. Runs in
 * the caller's transaction before the entries are written; two transactions posting to the
 * same account at once each see only the other's committed entries, so the bound holds for
 * every posting that commits after the other (no amount close to it is ordinary traffic).
 */
async function checkBalancesStayBounded(
  trx: Transaction<PlatformDatabase>,
  entries: readonly LedgerEntry[],
): Promise<void> {
  const change = new Map<string, bigint>();
  for (const { account, amount } of entries)
    change.set(account, (change.get(account) ?? 0n) + BigInt(amount));
  const accounts = [...change.keys()];
  const { rows } = await sql<{ account: string; balance: string }>`
    select account, sum(amount)::text as balance from ledger_entries
    where account = any(${accounts}::text[]) group by account`.execute(trx);
  const balances = new Map(rows.map((row) => [row.account, BigInt(row.balance)]));
  const limit = BigInt(MAX_AMOUNT);
  for (const [account, delta] of change) {
    const after = (balances.get(account) ?? 0n) + delta;
    if (after > limit || after < -limit)
      throw amountTooLarge(
        `this would take ${account} to ${after}, beyond the ledger's bound of ±${MAX_AMOUNT}`,
        'amount',
      );
  }
}

const sameEntries = (a: readonly LedgerEntry[], b: readonly LedgerEntry[]): boolean => {
  const key = (entries: readonly LedgerEntry[]) =>
    entries
      .map((e) => `${e.account}\u0000${e.amount}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
};

/**
 * Writes one balanced ledger transaction inside the caller's database transaction (so it
 * commits or rolls back with the rest of the caller's work). With a reference already
 * posted: the same entries → `{ replayed: true }`; other entries → 409 reference_conflict.
 */
export async function postTransaction(
  trx: Transaction<PlatformDatabase>,
  posting: LedgerPosting,
): Promise<Posted> {
  check(posting);
  const inserted = await trx
    .insertInto('ledger_transactions')
    .values({ kind: posting.kind, reference: posting.reference ?? null, created_at: posting.at })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('txn_id')
    .executeTakeFirst();
  if (inserted === undefined) {
    // Only a reference can conflict; under concurrency the first poster's row is committed
    // by the time ours stops waiting on it, so it is visible here.
    const existing = await trx
      .selectFrom('ledger_transactions')
      .select(['txn_id', 'kind'])
      .where('reference', '=', posting.reference ?? '')
      .executeTakeFirstOrThrow();
    const entries = await trx
      .selectFrom('ledger_entries')
      .select(['account', 'amount'])
      .where('txn_id', '=', existing.txn_id)
      .execute();
    if (existing.kind !== posting.kind || !sameEntries(entries, posting.entries)) {
      throw conflict(
        'reference_conflict',
        `ledger reference ${posting.reference} was posted with other entries`,
        'reference',
      );
    }
    return { txnId: existing.txn_id, replayed: true };
  }
  await checkBalancesStayBounded(trx, posting.entries);
  // Two array parameters, however many entries: a settlement posts one per wallet.
  await sql`insert into ledger_entries (txn_id, account, amount)
    select ${inserted.txn_id}::bigint, account, amount
    from unnest(
      ${posting.entries.map((e) => e.account)}::text[],
      ${posting.entries.map((e) => e.amount)}::bigint[]
    ) as entry (account, amount)`.execute(trx);
  return { txnId: inserted.txn_id, replayed: false };
}

/** Sum of an account's entries (0 for an account never posted to). */
export async function balanceOf(db: Kysely<PlatformDatabase>, account: string): Promise<number> {
  // sum(bigint) is numeric in Postgres; the ::bigint cast fails loudly on overflow and the
  // int8 parser then refuses anything beyond 2^53.
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as('balance'))
    .where('account', '=', account)
    .executeTakeFirstOrThrow();
  return toSafeNumber(row.balance, `balance of ${account}`);
}
