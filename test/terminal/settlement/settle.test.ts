/**
 * S10 and S13 against the real platform: real phones pay the terminal, the period closes on
 * the platform's schedule (or by hand), the batch is uploaded, the signed result applied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { batchChainHead, CHAIN_GENESIS, PaymentRecord, SettlementBatch } from '../../../protocol';
import { batchEnvelope } from '../../../db/batches';
import { backends } from '../../platform/support/databases';
import { startSettleRig, type SettleRig } from '../support/settle-rig';
import { settlementFor } from '../support/settlement';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe.each(backends())('settlement upload on %s', (backend) => {
  let rig: SettleRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('S10: the period closes at its scheduled end, the batch is uploaded and the merchant credited', async () => {
    rig = await startSettleRig(backend);
    const { service, events, progress } = settlementFor(rig);
    const alice = await rig.activatedPhone('alice');
    const bob = await rig.activatedPhone('bob');
    const r1 = await rig.pay(alice, 300);
    const r2 = await rig.pay(bob, 450);
    const r3 = await rig.pay(alice, 200);

    // Nothing is due before the period's end.
    expect(service.runSchedule()).toEqual([]);
    const open = service.status().openPeriod;
    expect(open).toMatchObject({ count: 3, total: 950, voidCount: 0 });
    rig.clock.set(open.scheduledEnd);
    const [batch] = service.runSchedule();
    expect(batch).toMatchObject({
      seq: 1,
      state: 'cut',
      recordCount: 3,
      total: 950,
      periodEnd: open.scheduledEnd - 1,
      deadline: open.scheduledEnd - 1 + 600,
    });
    // The batch id and the bytes to send are stored before any upload.
    const envelope = batchEnvelope(rig.ledger.db, Buffer.from(batch!.batchId, 'hex'));
    const signed = SettlementBatch.open(envelope!, rig.identity.signer.publicKey);
    expect(hex(signed.value.batchId)).toBe(batch!.batchId);
    expect(hex(signed.value.chainHead)).toBe(hex(batchChainHead(CHAIN_GENESIS, [r1, r2, r3], [])));

    const before = await rig.merchantBalance();
    const outcome = await service.upload();
    expect(outcome).toMatchObject({ state: 'done', acknowledged: 1, pending: 0 });
    expect(await rig.merchantBalance()).toBe(before + 950);

    const result = service.result(batch!.batchId);
    expect(result).toMatchObject({
      totalCredited: 950,
      expectedCredited: 950,
      creditDifference: 0,
      discrepancies: [],
    });
    expect(result.entries.map((e) => [e.kind, e.counter, e.status])).toEqual([
      ['record', r1.value.counter, 'accepted'],
      ['record', r2.value.counter, 'accepted'],
      ['record', r3.value.counter, 'accepted'],
    ]);
    expect(rig.ledger.payment(r1.value.walletId, r1.value.counter)?.status).toBe('settled');
    expect(service.batches()[0]).toMatchObject({ state: 'acknowledged', batchId: batch!.batchId });
    expect(progress().map((p) => p.state)).toEqual(['uploading', 'acknowledged']);
    expect(events.map((e) => e.name)).toEqual([
      'settlement.period_closed',
      'settlement.progress',
      'settlement.progress',
      'settlement.result',
    ]);
    expect(service.status()).toMatchObject({
      pending: [],
      lastUpload: { state: 'done' },
      stale: { count: 0 },
    });
  });

  it('S13: a payment voided before settlement is refunded to the wallet, the rest credited', async () => {
    rig = await startSettleRig(backend);
    const { service } = settlementFor(rig);
    const alice = await rig.activatedPhone('alice');
    const bob = await rig.activatedPhone('bob');
    const paid = await rig.pay(alice, 700);
    const voided = await rig.pay(bob, 400);
    rig.clock.advance(60);
    rig.ledger.voidPayment(voided.value.walletId, voided.value.counter, rig.clock.now());
    const bobBefore = await rig.walletBalance(voided.value.walletId);
    const aliceBefore = await rig.walletBalance(paid.value.walletId);
    const merchantBefore = await rig.merchantBalance();

    const [batch] = service.closePeriod();
    expect(batch).toMatchObject({ recordCount: 2, total: 1_100, voidCount: 1, voidTotal: 400 });
    const signed = SettlementBatch.decode(
      batchEnvelope(rig.ledger.db, Buffer.from(batch!.batchId, 'hex'))!,
    );
    // Records first, then voids: not the ledger's interleaved order.
    expect(hex(signed.value.chainHead)).toBe(
      hex(batchChainHead(CHAIN_GENESIS, [paid, voided], [signed.value.voids[0]!])),
    );
    expect(await service.upload()).toMatchObject({ state: 'done', acknowledged: 1 });

    const result = service.result(batch!.batchId);
    expect(result).toMatchObject({
      totalCredited: 700,
      expectedCredited: 700,
      creditDifference: 0,
    });
    expect(result.entries.map((e) => [e.kind, e.status])).toEqual([
      ['record', 'accepted'],
      ['record', 'accepted'],
      ['void', 'accepted'],
    ]);
    expect(await rig.merchantBalance()).toBe(merchantBefore + 700);
    expect(await rig.walletBalance(voided.value.walletId)).toBe(bobBefore);
    expect(await rig.walletBalance(paid.value.walletId)).toBe(aliceBefore - 700);
    expect(rig.ledger.payment(voided.value.walletId, voided.value.counter)?.status).toBe('voided');
    expect(PaymentRecord.decode(paid.encoded).value.amount).toBe(700);
  });
});
