/**
 * Settling one batch (steps 52-54; PROTOCOL.md "Platform checks at settlement"). The
 * CPU-bound checks run first, outside any transaction (checks.ts); then ONE transaction
 * locks the terminal's chain, checks the batch continues it (chain.ts), claims the batch
 * id, sorts every record into accepted / duplicate / double_spend /
 * rejected, refunds voids, posts the ledger, queues refund notices, marks the other wallets
 * owed a balance confirmation (signed at their next sync), stores the signed result and
 * moves the terminal's chain head. A crash anywhere before the commit leaves nothing of the batch behind.
 *
 * Money (ledger/post.ts conventions), one ledger transaction per batch, reference
 * `settlement:<batchIdHex>`: each wallet -(its accepted records it pays for) +(its
 * refunds); the merchant +(accepted) +(honoured double-spends) -(voids applied);
 * platform:double_spend_loss -(honoured double-spends); platform:lost_wallet_loss
 * -(accepted records it bears after a lost report, records.ts) +(voids of those). A record
 * is paid at most once whatever batch carries it: the (wallet, counter) primary key of
 * settlement_payments is the per-record idempotency key.
 *
 * Figures (docs/protocol.md "Settlement figures"): the result's totalCredited is accepted
 * records + honoured double-spends - voids of this batch's own records; voids of earlier
 * batches' records are the batch's voids_debited. The merchant's balance moves by
 * totalCredited - voids_debited.
 */
import type { Kysely, Transaction } from 'kysely';
import { SettlementResult, sha256 } from '../../protocol';
import { audit } from '../audit';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';
import { conflict, type PlatformError } from '../errors';
import type { IssuerKeys } from '../keys/issuer-keys';
import { balanceOf, ledgerAccount, postTransaction, type LedgerEntry } from '../ledger/post';
import { revokeWallet } from '../lost/surface';
import { DEFAULT_TERMINAL_PARAMS } from '../terminals/params';
import { advanceChain, continuesChain, lockChain, refuseBrokenChain } from './chain';
import { checkRecords, openBatch, type Batch, type CheckedRecord } from './checks';
import { sortRecords, type LiabilityWindow } from './records';
import { markBalanceChanged, queueNotifications } from '../notifications/surface';
import { applyVoids } from './voids';
import type { CertificateCache } from './certificate-cache';
import type { VerifyPool } from './verify-pool';
import './schema';

export interface SettlementContext {
  readonly db: Kysely<PlatformDatabase>;
  readonly keys: IssuerKeys;
  readonly clock: Clock;
  readonly pool: VerifyPool;
  /** The platform's (app.platform.certificates). */
  readonly certificates: CertificateCache;
}

export interface SettleOutcome {
  /** The signed SettlementResult envelope. */
  readonly result: Uint8Array;
  /** True when this batch had been settled before and its stored result is returned. */
  readonly replayed: boolean;
  /** Wallets (hex) given a notice: to poke their sockets once the transaction committed. */
  readonly notified: readonly string[];
}

export const DOUBLE_SPEND_LOSS = 'platform:double_spend_loss';
/** Pays for records made after a lost or stolen report, before terminals could know of it. */
export const LOST_WALLET_LOSS = 'platform:lost_wallet_loss';
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The stored result of a batch id, 409 when it was settled with other content. */
async function storedResult(
  db: Kysely<PlatformDatabase>,
  batchId: Uint8Array,
  bodyHash: Uint8Array,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('settlement_batches')
    .select(['body_hash', 'result'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (!Buffer.from(row.body_hash).equals(bodyHash))
    throw conflict('batch_conflict', 'this batch id was settled with other content', 'batchId');
  return row.result;
}

const seconds = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;

/** How long a terminal may run on an old hotlist (terminal params; default 24 h). */
export function hotlistMaxAge(params: Readonly<Record<string, unknown>>): number {
  return seconds(params.hotlistMaxAgeSeconds, DEFAULT_TERMINAL_PARAMS.hotlistMaxAgeSeconds);
}

/** The terminal parameters the liability rule reads (records.ts), defaults filled in. */
export function liabilityWindow(params: Readonly<Record<string, unknown>>): LiabilityWindow {
  const settlement = (
    typeof params.settlement === 'object' && params.settlement !== null ? params.settlement : {}
  ) as Record<string, unknown>;
  const defaults = DEFAULT_TERMINAL_PARAMS.settlement;
  return {
    hotlistMaxAge: hotlistMaxAge(params),
    presentWithin:
      seconds(settlement.periodSeconds, defaults.periodSeconds) +
      seconds(settlement.uploadWithinSeconds, defaults.uploadWithinSeconds),
  };
}

export async function settleBatch(
  ctx: SettlementContext,
  terminalId: string,
  envelope: Uint8Array,
): Promise<SettleOutcome> {
  const terminal = await ctx.db
    .selectFrom('terminals')
    .select(['terminal_id', 'merchant_id', 'public_key', 'params'])
    .where('terminal_id', '=', terminalId)
    .executeTakeFirstOrThrow();
  const batch = openBatch(envelope, {
    terminalId,
    merchantId: terminal.merchant_id,
    publicKey: terminal.public_key,
    params: terminal.params,
  });
  const bodyHash = sha256(batch.body);
  const before = await storedResult(ctx.db, batch.value.batchId, bodyHash);
  if (before !== undefined) return { result: before, replayed: true, notified: [] };
  const { checked } = await checkRecords(ctx.db, ctx.keys, ctx.pool, batch, ctx.certificates);
  const window = liabilityWindow(terminal.params);

  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await settleOnce(ctx, batch, checked, bodyHash, terminal.merchant_id, window);
      // Thrown after the commit, which kept the refusal for the operator.
      if ('refused' in outcome) throw outcome.refused;
      return outcome;
    } catch (error) {
      // Two batches sharing wallets can still meet in a deadlock or serialization failure;
      // Postgres aborted one of them whole, so trying again is safe.
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

const MAX_ATTEMPTS = 3;

function settleOnce(
  ctx: SettlementContext,
  batch: Batch,
  checked: readonly CheckedRecord[],
  bodyHash: Uint8Array,
  merchantId: string,
  window: LiabilityWindow,
): Promise<SettleOutcome | { refused: PlatformError }> {
  const terminalId = batch.value.terminalId;
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    // The terminal's chain row, locked first, serialises its uploads: a concurrent twin of
    // this batch waits here for our commit, then finds our result below without judging
    // the chain again (which has moved past this batch by then).
    const tip = await lockChain(trx, terminalId, now);
    const settled = await storedResult(trx, batch.value.batchId, bodyHash);
    if (settled !== undefined) return { result: settled, replayed: true, notified: [] };
    if (!continuesChain(tip, batch))
      return { refused: await refuseBrokenChain(trx, tip, batch, now) };
    // The primary key keeps a batch id once, across terminals too.
    const claimed = await trx
      .insertInto('settlement_batches')
      .values({
        batch_id: batch.value.batchId,
        terminal_id: terminalId,
        merchant_id: merchantId,
        body_hash: bodyHash,
        envelope: batch.encoded,
        status: 'settled',
        record_count: batch.value.records.length,
        total_credited: 0,
        received_at: now,
        settled_at: now,
        result: new Uint8Array(0),
      })
      .onConflict((oc) => oc.column('batch_id').doNothing())
      .returning('batch_id')
      .executeTakeFirst();
    if (claimed === undefined) {
      const stored = await storedResult(trx, batch.value.batchId, bodyHash);
      if (stored !== undefined) return { result: stored, replayed: true, notified: [] };
    }
    const result = await apply(trx, ctx, batch, checked, window, now);
    await advanceChain(trx, batch, now);
    return { ...result, replayed: false };
  });
}

async function apply(
  trx: Transaction<PlatformDatabase>,
  ctx: SettlementContext,
  batch: Batch,
  checked: readonly CheckedRecord[],
  window: LiabilityWindow,
  now: number,
): Promise<{ result: Uint8Array; notified: string[] }> {
  const { batchId, terminalId, merchantId } = batch.value;
  const sorted = await sortRecords(trx, batch, checked, window, now);
  const voids = await applyVoids(trx, batch, now);

  const wallets = new Map<string, Uint8Array>();
  for (const c of checked) wallets.set(c.walletHex, c.record.value.walletId);
  for (const v of batch.value.voids) wallets.set(hex(v.walletId), v.walletId);
  const net = new Map<string, number>();
  for (const [walletHex, amount] of sorted.debits) net.set(walletHex, -amount);
  for (const [walletHex, amount] of voids.refunds)
    net.set(walletHex, (net.get(walletHex) ?? 0) + amount);
  const credited =
    [...sorted.debits.values()].reduce((a, b) => a + b, 0) +
    sorted.platformBorne +
    sorted.honouredDoubleSpends;
  const refunded = voids.sameBatch + voids.earlierBatches;
  const entries: LedgerEntry[] = [...net]
    .filter(([, amount]) => amount !== 0)
    .map(([walletHex, amount]) => ({ account: ledgerAccount('wallet', walletHex), amount }));
  const merchant = credited - refunded;
  if (merchant !== 0)
    entries.push({ account: ledgerAccount('merchant', merchantId), amount: merchant });
  if (sorted.honouredDoubleSpends > 0)
    entries.push({ account: DOUBLE_SPEND_LOSS, amount: -sorted.honouredDoubleSpends });
  const lostLoss = voids.platformRefunds - sorted.platformBorne;
  if (lostLoss !== 0) entries.push({ account: LOST_WALLET_LOSS, amount: lostLoss });
  await lockWalletsToUpdate(trx, [...sorted.flagged.keys(), ...voids.refunds.keys()]);
  if (entries.length >= 2) {
    await postTransaction(trx, {
      kind: 'settlement.batch',
      reference: `settlement:${hex(batchId)}`,
      entries,
      at: now,
    });
  }

  await revokeAndNotify(trx, ctx, wallets, sorted.flagged, net, voids.refunds, now);

  const issuer = await ctx.keys.activeIssuer();
  const totalCredited = credited - voids.sameBatch;
  const result = SettlementResult.sign(
    {
      batchId,
      terminalId,
      issuerKeyId: issuer.keyId,
      settledAt: now,
      results: [...sorted.entries, ...voids.entries],
      totalCredited,
    },
    issuer.signingKey,
  );
  await trx
    .updateTable('settlement_batches')
    .set({
      result: result.encoded,
      total_credited: totalCredited,
      voids_debited: voids.earlierBatches,
      settled_at: now,
    })
    .where('batch_id', '=', batchId)
    .execute();
  await audit(trx, {
    actor: { kind: 'terminal', id: terminalId },
    action: 'settlement.batch',
    subject: `batch:${hex(batchId)}`,
    outcome: 'ok',
    detail: {
      records: checked.length,
      voids: batch.value.voids.length,
      totalCredited,
      voidsDebited: voids.earlierBatches,
      refunded,
      doubleSpends: sorted.flagged.size,
    },
    at: now,
  });
  return { result: result.encoded, notified: [...net.keys()] };
}

/**
 * The wallet rows revokeAndNotify will update (revocations, refund notices), locked in id
 * order before the posting locks the ledger's balance rows: every path takes wallet rows
 * before balance rows (ledger/post.ts), so a top-up and a settlement cannot deadlock.
 */
async function lockWalletsToUpdate(
  trx: Transaction<PlatformDatabase>,
  walletHexes: readonly string[],
): Promise<void> {
  const ids = [...new Set(walletHexes)].sort().map((walletHex) => Buffer.from(walletHex, 'hex'));
  if (ids.length === 0) return;
  await trx
    .selectFrom('wallets')
    .select('wallet_id')
    .where('wallet_id', 'in', ids)
    .orderBy('wallet_id')
    .forNoKeyUpdate()
    .execute();
}

/**
 * Revocations of double-spenders, then what the phones learn. A refund is money the phone
 * must ADD: its balance_update is queued now, with the amount. A plain payment gives the
 * phone nothing to apply (it debited itself when it paid), so its wallet is only marked
 * and the next sync or push confirms the balance (notifications/balance-due.ts). Revocations
 * and notices lock wallet rows, so wallets go in one global order (by id) and two batches
 * sharing wallets cannot deadlock.
 */
async function revokeAndNotify(
  trx: Transaction<PlatformDatabase>,
  ctx: SettlementContext,
  wallets: Map<string, Uint8Array>,
  flagged: Map<string, Uint8Array>,
  net: Map<string, number>,
  refunds: Map<string, number>,
  now: number,
): Promise<void> {
  for (const walletHex of [...flagged.keys()].sort()) {
    await revokeWallet(trx, ctx, { walletId: flagged.get(walletHex)!, reason: 'double_spend' });
  }
  const refunded = [...refunds.keys()].sort();
  const balances = new Map<string, number>();
  for (const walletHex of refunded)
    balances.set(walletHex, await balanceOf(trx, ledgerAccount('wallet', walletHex)));
  await queueNotifications(
    trx,
    ctx,
    refunded.flatMap((walletHex) => {
      const walletId = wallets.get(walletHex);
      return walletId === undefined
        ? []
        : [
            {
              walletId,
              type: 'balance_update' as const,
              amount: refunds.get(walletHex) ?? 0,
              balance: Math.max(0, balances.get(walletHex) ?? 0),
            },
          ];
    }),
  );
  await markBalanceChanged(
    trx,
    [...net.keys()]
      .filter((walletHex) => !refunds.has(walletHex))
      .sort()
      .flatMap((walletHex) => wallets.get(walletHex) ?? []),
    now,
  );
}
