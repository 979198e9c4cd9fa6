/**
 * Freshness tokens (PROTOCOL.md): the platform's signed view of a wallet at an online
 * sync — time, balance, counter. Terminals refuse a token older than T2 (S8).
 *
 * Balance: the wallet's ledger balance (`wallet:<hex>`), what the platform holds for it.
 * Counter: the highest counter the platform has seen SETTLED for the wallet (0 if none),
 * so that the phone's offline totals since sync keep counting every payment not yet
 * settled. It is read from the settlement unit's `settlement_payments` table when that
 * table exists in this database; without it (a platform built without the settlement unit)
 * the counter the phone reports is used. Either way it never exceeds the phone's own
 * counter, since a phone refuses a token naming a counter it has not reached.
 */
import { sql, type Kysely } from 'kysely';
import { FreshnessToken } from '../../protocol';
import type { PlatformContext } from '../context';
import type { PlatformDatabase } from '../db/schema';
import { balanceOf, ledgerAccount } from '../ledger/post';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The counter to certify: see the module note. */
export async function settledCounter(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
  reported: number,
): Promise<number> {
  // to_regclass follows search_path, so each test schema answers for itself.
  const { rows } = await sql<{ present: boolean }>`
    select to_regclass('settlement_payments') is not null as present`.execute(db);
  if (rows[0]?.present !== true) return reported;
  const settled = await sql<{ counter: string | number | null }>`
    select max(counter) as counter from settlement_payments where wallet_id = ${walletId}`.execute(
    db,
  );
  const highest = Number(settled.rows[0]?.counter ?? 0);
  return Math.min(highest, reported);
}

export interface IssuedToken {
  readonly encoded: Uint8Array;
  readonly balance: number;
  readonly counter: number;
  readonly syncTime: number;
}

/** Signs a token for the wallet with its current ledger balance; `db` may be a transaction. */
export async function issueFreshness(
  { keys, clock }: Pick<PlatformContext, 'keys' | 'clock'>,
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
  counter: number,
  balance?: number,
): Promise<IssuedToken> {
  const issuer = await keys.activeIssuer();
  const syncTime = clock.now();
  const held = balance ?? (await balanceOf(db, ledgerAccount('wallet', hex(walletId))));
  const token = FreshnessToken.sign(
    { walletId, issuerKeyId: issuer.keyId, syncTime, balance: held, counter },
    issuer.signingKey,
  );
  return { encoded: token.encoded, balance: held, counter, syncTime };
}
