/**
 * Posting to the double-entry ledger. Every movement of money is one ledger transaction of
 * two or more entries that sum to zero; an account's balance is the sum of its entries,
 * kept as a running balance per account (ledger_balances, core 0006).
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
 *
 * Locks: a posting holds its accounts' balance rows until the caller's transaction ends. A
 * transaction that also locks rows of its own tables (a wallet row) takes those first, then
 * posts, so every path meets the balance rows last (settlement/settle.ts does the same).
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
 * Locks the running balances of the posting's accounts (core 0006: rows made at 0 for new
 * accounts, locked in account order so two postings cannot deadlock on each other) until
 * the caller's transaction ends, and refuses the posting when any of them would leave
 * ±MAX_AMOUNT. Concurrent postings to one account therefore check the bound one after the
 * other, each against what the one before left. The entries' trigger then moves the rows.
 */
async function checkBalancesStayBounded(
  trx: Transaction<PlatformDatabase>,
  entries: readonly LedgerEntry[],
): Promise<void> {
  const change = new Map<string, bigint>();
  for (const { account, amount } of entries)
    change.set(account, (change.get(account) ?? 0n) + BigInt(amount));
  const accounts = [...change.keys()].sort();
  await sql`insert into ledger_balances (account, balance)
    select account, 0 from unnest(${accounts}::text[]) as a (account) order by account
    on conflict (account) do nothing`.execute(trx);
  const { rows } = await sql<{ account: string; balance: string }>`
    select account, balance::text as balance from ledger_balances
    where account = any(${accounts}::text[]) order by account for update`.execute(trx);
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

/** Sum of an account's entries (0 for an account never posted to): its running balance. */
export async function balanceOf(db: Kysely<PlatformDatabase>, account: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_balances')
    .select('balance')
    .where('account', '=', account)
    .executeTakeFirst();
  return row === undefined ? 0 : toSafeNumber(row.balance, `balance of ${account}`);
}
