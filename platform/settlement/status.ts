/**
 * The operator's view of settlement: per terminal, its last batch, totals and chain (a
 * terminal whose batches stop continuing its chain shows `broken`); flagged double-spends.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { toSafeNumber } from '../db/bigint';
import type { PlatformDatabase } from '../db/schema';
import type { CliCommand } from '../cli/command';
import { stringOption } from '../cli/command';
import './schema';

export const SettlementChain = z
  .object({
    head: z
      .string()
      .describe('hex: the chainHead of its last accepted batch, which its next batch continues'),
    lastBatchId: z.string().nullable().describe('hex: its last accepted batch'),
    broken: z
      .boolean()
      .describe('its last upload was refused chain_broken and no batch was accepted since'),
    refusals: z.number().int().describe('batches refused chain_broken, ever'),
    lastRefusal: z
      .object({
        batchId: z.string(),
        chainHead: z.string().describe('hex: the head the refused batch carried'),
        at: z.number().int(),
      })
      .nullable(),
  })
  .describe('the settlement chain (docs/protocol.md section 3, chainHead)');

export const SettlementStatus = z.object({
  terminals: z.array(
    z.object({
      terminalId: z.string(),
      merchantId: z.string(),
      batches: z.number().int(),
      records: z.number().int().describe('records uploaded in its batches, whatever their outcome'),
      totalCredited: z
        .number()
        .int()
        .describe(
          'sum of its settlement results’ totalCredited: accepted records and honoured ' +
            'double-spends, less the voids of records of the same batch (minor units)',
        ),
      voidsDebited: z
        .number()
        .int()
        .describe('voids of records settled in an earlier batch, debited from the merchant'),
      net: z
        .number()
        .int()
        .describe('totalCredited − voidsDebited: what its batches moved to the merchant account'),
      lastBatch: z
        .object({ batchId: z.string(), settledAt: z.number().int(), records: z.number().int() })
        .nullable(),
      doubleSpends: z.number().int().describe('conflicting records this terminal uploaded'),
      chain: SettlementChain,
    }),
  ),
  doubleSpends: z.array(
    z.object({
      walletId: z.string(),
      counter: z.number().int(),
      terminalId: z.string(),
      amount: z.number().int(),
      honoured: z.boolean().describe('the merchant was paid from platform:double_spend_loss'),
      flaggedAt: z.number().int(),
    }),
  ),
});
export type SettlementStatus = z.infer<typeof SettlementStatus>;
type ChainStatus = z.infer<typeof SettlementChain>;

const RECENT_DOUBLE_SPENDS = 100;
const NO_CHAIN: ChainStatus = {
  head: '00'.repeat(32),
  lastBatchId: null,
  broken: false,
  refusals: 0,
  lastRefusal: null,
};
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Chains of terminals that uploaded, with their merchants (a refused first batch too). */
async function chains(
  db: Kysely<PlatformDatabase>,
  terminalId: string | undefined,
): Promise<Map<string, { merchantId: string; chain: ChainStatus }>> {
  let query = db
    .selectFrom('settlement_chains as c')
    .innerJoin('terminals as t', 't.terminal_id', 'c.terminal_id')
    .select([
      'c.terminal_id',
      't.merchant_id',
      'c.head',
      'c.last_batch_id',
      'c.broken',
      'c.refusals',
      'c.refused_batch_id',
      'c.refused_head',
      'c.refused_at',
    ]);
  if (terminalId !== undefined) query = query.where('c.terminal_id', '=', terminalId);
  const rows = await query.execute();
  return new Map(
    rows.map((row) => [
      row.terminal_id,
      {
        merchantId: row.merchant_id,
        chain: {
          head: hex(row.head),
          lastBatchId: row.last_batch_id === null ? null : hex(row.last_batch_id),
          broken: row.broken,
          refusals: row.refusals,
          lastRefusal:
            row.refused_batch_id === null || row.refused_head === null || row.refused_at === null
              ? null
              : {
                  batchId: hex(row.refused_batch_id),
                  chainHead: hex(row.refused_head),
                  at: row.refused_at,
                },
        },
      },
    ]),
  );
}

export async function settlementStatus(
  db: Kysely<PlatformDatabase>,
  terminalId?: string,
): Promise<SettlementStatus> {
  let totals = db
    .selectFrom('settlement_batches')
    .select((eb) => [
      'terminal_id',
      'merchant_id',
      eb.fn.countAll<string>().as('batches'),
      sql<string>`coalesce(sum(record_count), 0)::bigint`.as('records'),
      sql<string>`coalesce(sum(total_credited), 0)::bigint`.as('credited'),
      sql<string>`coalesce(sum(voids_debited), 0)::bigint`.as('debited'),
      sql<Uint8Array>`(array_agg(batch_id order by settled_at desc, received_at desc))[1]`.as(
        'last_id',
      ),
      eb.fn.max('settled_at').as('last_at'),
      sql<string>`(array_agg(record_count order by settled_at desc, received_at desc))[1]`.as(
        'last_records',
      ),
    ])
    .groupBy(['terminal_id', 'merchant_id'])
    .orderBy('terminal_id');
  if (terminalId !== undefined) totals = totals.where('terminal_id', '=', terminalId);
  const flagged = await db
    .selectFrom('settlement_double_spends')
    .select((eb) => ['terminal_id', eb.fn.countAll<string>().as('n')])
    .groupBy('terminal_id')
    .execute();
  const flaggedBy = new Map(flagged.map((row) => [row.terminal_id, toSafeNumber(row.n)]));
  let recent = db
    .selectFrom('settlement_double_spends')
    .select(['wallet_id', 'counter', 'terminal_id', 'amount', 'honoured', 'flagged_at'])
    .orderBy('flagged_at', 'desc')
    .limit(RECENT_DOUBLE_SPENDS);
  if (terminalId !== undefined) recent = recent.where('terminal_id', '=', terminalId);
  const chainOf = await chains(db, terminalId);
  const uploaded = (await totals.execute()).map((row) => ({
    terminalId: row.terminal_id,
    merchantId: row.merchant_id,
    batches: toSafeNumber(row.batches),
    records: toSafeNumber(row.records),
    totalCredited: toSafeNumber(row.credited),
    voidsDebited: toSafeNumber(row.debited),
    net: toSafeNumber(row.credited) - toSafeNumber(row.debited),
    lastBatch: {
      batchId: hex(row.last_id),
      settledAt: toSafeNumber(row.last_at),
      records: toSafeNumber(row.last_records),
    },
    doubleSpends: flaggedBy.get(row.terminal_id) ?? 0,
    // Every terminal with a batch has a chain row (settling writes it; 0503 backfilled).
    chain: chainOf.get(row.terminal_id)?.chain ?? NO_CHAIN,
  }));
  const seen = new Set(uploaded.map((t) => t.terminalId));
  // A terminal whose every upload was refused chain_broken has no batch but must be seen.
  const refusedOnly = [...chainOf]
    .filter(([id]) => !seen.has(id))
    .map(([id, { merchantId, chain }]) => ({
      terminalId: id,
      merchantId,
      batches: 0,
      records: 0,
      totalCredited: 0,
      voidsDebited: 0,
      net: 0,
      lastBatch: null,
      doubleSpends: flaggedBy.get(id) ?? 0,
      chain,
    }));
  return {
    terminals: [...uploaded, ...refusedOnly].sort((a, b) =>
      a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0,
    ),
    doubleSpends: (await recent.execute()).map((row) => ({
      walletId: Buffer.from(row.wallet_id).toString('hex'),
      counter: row.counter,
      terminalId: row.terminal_id,
      amount: row.amount,
      honoured: row.honoured,
      flaggedAt: row.flagged_at,
    })),
  };
}

export const showSettlementStatusCommand: CliCommand = {
  name: 'show-settlement-status',
  summary:
    'per terminal: batches, last batch, totals credited, chain (broken?), flagged double-spends (JSON)',
  usage: '[--terminal <terminalId>]',
  options: { terminal: { type: 'string' } },
  async run(ctx) {
    const terminal = stringOption(ctx, 'terminal');
    const query = terminal === undefined ? '' : `?terminalId=${encodeURIComponent(terminal)}`;
    const status = await ctx
      .remote()
      .call<SettlementStatus>('GET', `/v1/settlement/status${query}`);
    ctx.out(JSON.stringify(status, null, 2));
    return undefined;
  },
};
