/**
 * The settlement chain (docs/protocol.md section 3, `chainHead`): each batch of a terminal
 * must continue the head of its last accepted batch over its records then its voids. Every
 * way of breaking it is refused 409 `chain_broken`, settles nothing, leaves the head where
 * it was, and is shown to the operator (settlement status, audit log).
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_GENESIS,
  sha256,
  type PaymentRecord,
  type Signed,
  type VoidEntry,
} from '../../protocol';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { platformMigrations } from '../../platform/db/migrations';
import { balanceOf } from '../../platform/ledger/post';
import { UNITS } from '../../platform/units';
import { expectedHead } from '../db/support/ledger';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal } from './support/fixtures';
import { T0, testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import {
  batchOf,
  chainHeadOf,
  pay,
  uploadRequest,
  useSettlementSetUp,
  type SettlementPlatform,
} from './support/settlement';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe.each(backends())('the settlement chain on %s', (backend) => {
  const databases = useTestDatabases(backend);
  const settlementSetUp = useSettlementSetUp(databases);

  async function setUp() {
    const platform = await settlementSetUp();
    const { token } = await createOperatorToken(platform.db, { label: 'ops', at: T0 });
    const upload = (batch: { encoded: Uint8Array }) =>
      platform.app.inject(uploadRequest(platform.terminal, batch.encoded));
    /** The terminal's chain as the operator sees it. */
    const chain = async () => {
      const response = await platform.app.inject({
        method: 'GET',
        url: `/v1/settlement/status?terminalId=${platform.terminal.terminalId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      const { terminals } = response.json<{ terminals: { chain: ChainView }[] }>();
      expect(terminals).toHaveLength(1);
      return terminals[0]!.chain;
    };
    /** Three payments of alice, 100 + 200 + 300. */
    const payments = (from = 1) =>
      [100, 200, 300].map((amount, i) =>
        pay(platform.alice, platform.terminal, { counter: from + i, amount }),
      );
    return { ...platform, upload, chain, payments };
  }

  interface ChainView {
    head: string;
    lastBatchId: string | null;
    broken: boolean;
    refusals: number;
    lastRefusal: { batchId: string; chainHead: string; at: number } | null;
  }

  /** 409 chain_broken; nothing of the batch settled; the refusal shown and audited. */
  async function expectBroken(
    platform: SettlementPlatform & { chain: () => Promise<ChainView> },
    response: LightMyRequestResponse,
    batch: { value: { batchId: Uint8Array; chainHead: Uint8Array } },
    headBefore: Uint8Array,
  ) {
    expect(response.statusCode).toBe(409);
    const error = errorOf(response);
    expect(error).toMatchObject({ code: 'chain_broken', field: 'chainHead' });
    expect(error.message).toContain('does not continue');
    const { db } = platform;
    const settled = await db
      .selectFrom('settlement_batches')
      .select('batch_id')
      .where('batch_id', '=', batch.value.batchId)
      .execute();
    expect(settled).toHaveLength(0);
    const view = await platform.chain();
    expect(view).toMatchObject({
      head: hex(headBefore),
      broken: true,
      lastRefusal: { batchId: hex(batch.value.batchId), chainHead: hex(batch.value.chainHead) },
    });
    const audited = await db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'settlement.chain_broken')
      .where('subject', '=', `batch:${hex(batch.value.batchId)}`)
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      outcome: 'denied',
      detail: { expectedPrevious: hex(headBefore), batchHead: hex(batch.value.chainHead) },
    });
  }

  it('accepts a first batch from the genesis head and a second that continues it', async () => {
    const platform = await setUp();
    const { alice, terminal, upload, chain, payments } = platform;
    const [r1, r2, r3] = payments();
    const voidOfR1: VoidEntry = { walletId: alice.walletId, counter: 1, amount: 100, voidedAt: T0 };
    const first = batchOf(terminal, [r1!, r2!], { voids: [voidOfR1] });
    // The head, computed without protocol/'s chain code: records, then voids.
    const afterFirst = expectedHead([
      { kind: 'payment', body: r1!.body },
      { kind: 'payment', body: r2!.body },
      { kind: 'void', ...voidOfR1 },
    ]);
    expect(hex(first.value.chainHead)).toBe(hex(afterFirst));
    expect((await upload(first)).statusCode).toBe(200);
    expect(await chain()).toEqual({
      head: hex(afterFirst),
      lastBatchId: hex(first.value.batchId),
      broken: false,
      refusals: 0,
      lastRefusal: null,
    });

    const second = batchOf(terminal, [r3!]);
    expect(hex(second.value.chainHead)).toBe(
      hex(
        expectedHead([
          { kind: 'payment', body: r1!.body },
          { kind: 'payment', body: r2!.body },
          { kind: 'void', ...voidOfR1 },
          { kind: 'payment', body: r3!.body },
        ]),
      ),
    );
    expect((await upload(second)).statusCode).toBe(200);
    // A batch with no entries carries the head unchanged.
    const empty = batchOf(terminal, []);
    expect(hex(empty.value.chainHead)).toBe(hex(second.value.chainHead));
    expect((await upload(empty)).statusCode).toBe(200);
    expect(await chain()).toMatchObject({
      head: hex(second.value.chainHead),
      lastBatchId: hex(empty.value.batchId),
    });
    expect(await balanceOf(platform.db, `merchant:${terminal.merchantId}`)).toBe(500);
  });

  it('refuses a random head and a zero head; the head does not move and the right batch then settles', async () => {
    const platform = await setUp();
    const { terminal, upload, chain, payments, db } = platform;
    const records = payments();
    for (const chainHead of [randomBytes(32), Buffer.from(CHAIN_GENESIS)]) {
      const forged = batchOf(terminal, records, { chainHead });
      await expectBroken(platform, await upload(forged), forged, CHAIN_GENESIS);
    }
    expect(await balanceOf(db, `wallet:${platform.alice.walletIdHex}`)).toBe(10_000);
    expect((await chain()).refusals).toBe(2);
    const right = batchOf(terminal, records);
    expect((await upload(right)).statusCode).toBe(200);
    const view = await chain();
    expect(view).toMatchObject({ head: hex(right.value.chainHead), broken: false, refusals: 2 });
    expect(view.lastRefusal).not.toBeNull();
  });

  it('refuses a batch after a skipped one, and settles both once the skipped one is uploaded first', async () => {
    const platform = await setUp();
    const { terminal, upload, chain, payments } = platform;
    const [r1, r2, r3] = payments();
    const b1 = batchOf(terminal, [r1!]);
    const b2 = batchOf(terminal, [r2!]);
    const b3 = batchOf(terminal, [r3!]);
    expect((await upload(b1)).statusCode).toBe(200);
    const gap = await upload(b3);
    await expectBroken(platform, gap, b3, b1.value.chainHead);
    expect(errorOf(gap).message).toContain(`last accepted head ${hex(b1.value.chainHead)}`);
    // Recovery: the open batches, oldest first.
    expect((await upload(b2)).statusCode).toBe(200);
    expect((await upload(b3)).statusCode).toBe(200);
    expect(await chain()).toMatchObject({ head: hex(b3.value.chainHead), broken: false });
  });

  it('refuses two batches uploaded in the wrong order until the earlier one is in', async () => {
    const platform = await setUp();
    const { terminal, upload, payments } = platform;
    const [r1, r2] = payments();
    const b1 = batchOf(terminal, [r1!]);
    const b2 = batchOf(terminal, [r2!]);
    await expectBroken(platform, await upload(b2), b2, CHAIN_GENESIS);
    expect((await upload(b1)).statusCode).toBe(200);
    expect((await upload(b2)).statusCode).toBe(200);
  });

  it('refuses a batch whose records were edited, deleted or swapped, re-signed by the terminal', async () => {
    const platform = await setUp();
    const { alice, terminal, upload, payments } = platform;
    const records = payments();
    const [r1, r2, r3] = records as [Signed<PaymentRecord>, ...Signed<PaymentRecord>[]];
    const honest = batchOf(terminal, records);
    const chainHead = honest.value.chainHead; // what the ledger's chain says
    const edited = pay(alice, terminal, { counter: 2, amount: 20 }); // another record at r2's place
    for (const tampered of [
      [r1, edited, r3],
      [r1, r3],
      [r2, r1, r3],
    ]) {
      const batch = batchOf(terminal, tampered as Signed<PaymentRecord>[], { chainHead });
      await expectBroken(platform, await upload(batch), batch, CHAIN_GENESIS);
    }
    expect((await upload(honest)).statusCode).toBe(200);
  });

  it('refuses a void moved: reordered, left for a later batch, or hashed among the records', async () => {
    const platform = await setUp();
    const { alice, terminal, upload, payments } = platform;
    const records = payments();
    const voidOf = (counter: number, amount: number): VoidEntry => ({
      walletId: alice.walletId,
      counter,
      amount,
      voidedAt: T0,
    });
    const voids = [voidOf(1, 100), voidOf(2, 200)];
    const honest = batchOf(terminal, records, { voids });
    const { chainHead } = honest.value;
    const reordered = batchOf(terminal, records, { voids: [...voids].reverse(), chainHead });
    await expectBroken(platform, await upload(reordered), reordered, CHAIN_GENESIS);
    const postponed = batchOf(terminal, records, { voids: [voids[0]!], chainHead });
    await expectBroken(platform, await upload(postponed), postponed, CHAIN_GENESIS);
    // The order a ledger stored them in (a void between two payments) is not the batch's.
    const interleaved = expectedHead([
      { kind: 'payment', body: records[0]!.body },
      { kind: 'void', ...voids[0]! },
      { kind: 'payment', body: records[1]!.body },
      { kind: 'void', ...voids[1]! },
      { kind: 'payment', body: records[2]!.body },
    ]);
    const stored = batchOf(terminal, records, { voids, chainHead: interleaved });
    await expectBroken(platform, await upload(stored), stored, CHAIN_GENESIS);
    expect((await upload(honest)).statusCode).toBe(200);
  });

  it('answers a re-upload of an accepted batch with its stored result, without judging the chain again', async () => {
    const platform = await setUp();
    const { terminal, upload, chain, payments } = platform;
    const [r1, r2] = payments();
    const b1 = batchOf(terminal, [r1!]);
    const first = await upload(b1);
    expect((await upload(batchOf(terminal, [r2!]))).statusCode).toBe(200);
    // b1 no longer continues the head, yet its replay is its stored answer.
    const again = await upload(b1);
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-tapsafe-replayed']).toBe('true');
    expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
    expect(await chain()).toMatchObject({ broken: false, refusals: 0 });
  });

  it('lets one of two batches continuing the same head win when uploaded at once', async () => {
    const platform = await setUp();
    const { terminal, upload, chain, payments, db } = platform;
    const [r1, r2, r3] = payments();
    expect((await upload(batchOf(terminal, [r1!]))).statusCode).toBe(200);
    const head = chainHeadOf(terminal);
    const rivals = [
      batchOf(terminal, [r2!], { previous: head }),
      batchOf(terminal, [r3!], { previous: head }),
    ];
    const answers = await Promise.all(rivals.map((batch) => upload(batch)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const winner = rivals[answers.findIndex((a) => a.statusCode === 200)]!;
    const loser = answers.find((a) => a.statusCode === 409)!;
    expect(errorOf(loser).code).toBe('chain_broken');
    expect(await chain()).toMatchObject({
      head: hex(winner.value.chainHead),
      broken: true,
      refusals: 1,
    });
    const batches = await db
      .selectFrom('settlement_batches')
      .select('batch_id')
      .where('terminal_id', '=', terminal.terminalId)
      .execute();
    expect(batches).toHaveLength(2);
  });

  it('starts a terminal that settled before migration 0503 from its latest batch', async () => {
    const before = platformMigrations(UNITS).filter((m) => m.name !== '0503_settlement_chains');
    const old = await databases.fresh({ migrations: before });
    const terminal = await insertTerminal(old);
    // Two batches settled by the code before the check, carrying heads it never looked at.
    const older = batchOf(terminal, [], { chainHead: randomBytes(32) });
    const newer = batchOf(terminal, [], { chainHead: randomBytes(32) });
    for (const [batch, at] of [
      [newer, T0 - 10],
      [older, T0 - 20],
    ] as const) {
      await old
        .insertInto('settlement_batches')
        .values({
          batch_id: batch.value.batchId,
          terminal_id: terminal.terminalId,
          merchant_id: terminal.merchantId,
          body_hash: sha256(batch.body),
          envelope: batch.encoded,
          status: 'settled',
          record_count: 0,
          total_credited: 0,
          received_at: at,
          settled_at: at,
          result: new Uint8Array(0),
        })
        .execute();
    }
    const db = await databases.reopen(old);
    const chains = await db.selectFrom('settlement_chains').selectAll().execute();
    expect(
      chains.map((c) => ({
        ...c,
        head: hex(c.head),
        last_batch_id: c.last_batch_id && hex(c.last_batch_id),
      })),
    ).toMatchObject([
      {
        terminal_id: terminal.terminalId,
        head: hex(newer.value.chainHead),
        last_batch_id: hex(newer.value.batchId),
        broken: false,
        refusals: 0,
      },
    ]);
    const { app } = await testPlatform(db);
    try {
      const next = batchOf(terminal, [], { previous: newer.value.chainHead });
      expect((await app.inject(uploadRequest(terminal, next.encoded))).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
