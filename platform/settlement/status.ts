/** The operator's view of settlement: per terminal, its last batch and totals; flagged double-spends. */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { toSafeNumber } from '../db/bigint';
import type { PlatformDatabase } from '../db/schema';
import type { CliCommand } from '../cli/command';
import { stringOption } from '../cli/command';
import './schema';

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

const RECENT_DOUBLE_SPENDS = 100;

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
  return {
    terminals: (await totals.execute()).map((row) => ({
      terminalId: row.terminal_id,
      merchantId: row.merchant_id,
      batches: toSafeNumber(row.batches),
      records: toSafeNumber(row.records),
      totalCredited: toSafeNumber(row.credited),
      voidsDebited: toSafeNumber(row.debited),
      net: toSafeNumber(row.credited) - toSafeNumber(row.debited),
      lastBatch: {
        batchId: Buffer.from(row.last_id).toString('hex'),
        settledAt: toSafeNumber(row.last_at),
        records: toSafeNumber(row.last_records),
      },
      doubleSpends: flaggedBy.get(row.terminal_id) ?? 0,
    })),
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
  summary: 'per terminal: batches, last batch, totals credited, flagged double-spends (JSON)',
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
