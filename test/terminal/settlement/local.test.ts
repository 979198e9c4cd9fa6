/**
 * The settlement service on a real ledger file with a fake platform: the chain head of each
 * batch, splitting, the checks on a result, the retry rules, the deadline countdown and the
 * schedule's own timer.
 */
import { describe, expect, it } from 'vitest';
import { batchEnvelope } from '../../../db/batches';
import { createSettlementService, type Timers } from '../../../main/terminal/settlement';
import { retryDelayMs, DEFAULT_BACKOFF } from '../../../main/terminal/settlement/upload';
import { TerminalError } from '../../../main/terminal/errors';
import { batchChainHead, CHAIN_GENESIS, SettlementBatch } from '../../../protocol';
import { strangerKey } from '../../handset/support/platform';
import { newWallet, record, useTempDir } from '../../db/support/ledger';
import { immediateTimers } from '../support/settlement';
import { fakePlatform, localTerminal, PARAMETERS, trustKeyOf } from '../support/local';
import { issuerKey } from '../../handset/support/platform';

const tempDir = useTempDir('settle-local');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function setup(options: Parameters<typeof fakePlatform>[0] | undefined = undefined) {
  const terminal = localTerminal(tempDir());
  const platform = fakePlatform(options ?? { clock: terminal.clock });
  const events: { name: string; payload: unknown }[] = [];
  const delays: number[] = [];
  const make = (overrides: Partial<Parameters<typeof createSettlementService>[0]> = {}) =>
    createSettlementService({
      ledger: terminal.ledger,
      identity: () => terminal.identity,
      parameters: () => PARAMETERS,
      trustKeys: () => [trustKeyOf(issuerKey)],
      uploadBatch: platform.upload,
      clock: terminal.clock,
      publish: (name, payload) => events.push({ name, payload }),
      timers: immediateTimers(delays),
      random: () => 0.5,
      ...overrides,
    });
  return { ...terminal, platform, events, delays, make };
}

describe('cutting batches', () => {
  it('heads each batch over its records then its voids, continuing the previous batch', () => {
    const t = setup();
    const service = t.make();
    const w = newWallet();
    const r1 = record(w, 1, 500);
    const r2 = record(w, 2, 300);
    t.ledger.appendPayment(r1, t.clock.now());
    t.ledger.voidPayment(w.walletId, 1, t.clock.now());
    t.ledger.appendPayment(r2, t.clock.now());
    const [first] = service.closePeriod();
    const void1 = { walletId: w.walletId, counter: 1, amount: 500, voidedAt: t.clock.now() };
    const head1 = batchChainHead(CHAIN_GENESIS, [r1, r2], [void1]);
    expect(first!.chainHead).toBe(hex(head1));
    // The ledger's own chain interleaves (p1, v1, p2): another value, kept for local checks.
    expect(hex(t.ledger.chainHead().head)).not.toBe(first!.chainHead);

    t.clock.advance(100);
    const r3 = record(w, 3, 200);
    t.ledger.appendPayment(r3, t.clock.now());
    const [second] = service.closePeriod();
    expect(second!.chainHead).toBe(hex(batchChainHead(head1, [r3], [])));
    const signed = SettlementBatch.decode(
      batchEnvelope(t.ledger.db, Buffer.from(second!.batchId, 'hex'))!,
    );
    expect(hex(signed.value.chainHead)).toBe(second!.chainHead);
    expect(signed.value).toMatchObject({ recordCount: 1, total: 200, voidTotal: 0 });
  });

  it('splits a period over the record limit into batches uploaded in order', async () => {
    const t = setup();
    const service = t.make({ maxEntries: 2 });
    const w = newWallet();
    for (let counter = 1; counter <= 5; counter++)
      t.ledger.appendPayment(record(w, counter, 100), t.clock.now());
    const cuts = service.closePeriod();
    expect(cuts.map((b) => [b.seq, b.recordCount])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
    expect(await service.upload()).toMatchObject({ state: 'done', acknowledged: 3 });
    const sent = t.platform.received.map((e) =>
      SettlementBatch.decode(e).value.records.map((r) => r.value.counter),
    );
    expect(sent).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('results', () => {
  it('lists every entry not accepted and the credit difference, and applies outcomes to the ledger', async () => {
    const statuses = [
      undefined,
      { status: 'rejected', reason: 'revoked' },
      { status: 'duplicate', reason: 'none' },
      undefined, // the void of record 1
    ] as const;
    const t = setup({ clock: localTerminal(tempDir()).clock, outcome: (i) => statuses[i] });
    const service = t.make();
    const w = newWallet();
    t.ledger.appendPayment(record(w, 1, 500), t.clock.now());
    t.ledger.appendPayment(record(w, 2, 300), t.clock.now());
    t.ledger.appendPayment(record(w, 3, 200), t.clock.now());
    t.ledger.voidPayment(w.walletId, 1, t.clock.now());
    const [batch] = service.closePeriod();
    expect(await service.upload()).toMatchObject({ state: 'done' });
    const result = service.result(batch!.batchId);
    expect(result).toMatchObject({
      expectedCredited: 500,
      totalCredited: 0,
      creditDifference: -500,
    });
    expect(result.discrepancies.map((d) => [d.kind, d.counter, d.status, d.reason])).toEqual([
      ['record', 2, 'rejected', 'revoked'],
      ['record', 3, 'duplicate', 'none'],
    ]);
    const outcome = t.ledger.db
      .prepare('SELECT outcome, outcome_reason AS reason FROM payments WHERE counter = 2')
      .get();
    expect(outcome).toEqual({ outcome: 'rejected', reason: 'revoked' });
    expect(t.events.filter((e) => e.name === 'settlement.result')).toHaveLength(1);
  });

  it('applies nothing from a result signed by an unknown key or answering another batch', async () => {
    for (const [options, code] of [
      [{ signer: strangerKey }, 'unknown_issuer_key'],
      [{ otherBatch: true }, 'bad_result'],
    ] as const) {
      const t = setup({ clock: { now: () => 1_700_000_000 }, ...options });
      const service = t.make();
      t.ledger.appendPayment(record(newWallet(), 1, 500), t.clock.now());
      const [batch] = service.closePeriod();
      expect(await service.upload()).toMatchObject({ state: 'failed', code, pending: 1 });
      expect(service.batches()[0]).toMatchObject({ batchId: batch!.batchId, state: 'uploaded' });
      expect(() => service.result(batch!.batchId)).toThrow(TerminalError);
    }
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter, honours Retry-After and never retries a bad answer', async () => {
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 0, undefined)).toBe(500);
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 1, undefined)).toBe(1_000);
    expect(retryDelayMs(4, DEFAULT_BACKOFF, () => 1, undefined)).toBe(8_000);
    expect(retryDelayMs(30, DEFAULT_BACKOFF, () => 1, undefined)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 0, 30)).toBe(30_000);

    const t = setup();
    const failures = [
      new TerminalError('rate_limited', 'wait', { retryAfterSeconds: 30 }),
      new TerminalError('server_error', 'boom'),
      new TerminalError('timeout', 'slow'),
    ];
    const service = t.make({
      uploadBatch: (envelope) => {
        const failure = failures.shift();
        return failure ? Promise.reject(failure) : t.platform.upload(envelope);
      },
    });
    t.ledger.appendPayment(record(newWallet(), 1, 500), t.clock.now());
    service.closePeriod();
    expect(await service.upload()).toMatchObject({ state: 'done', acknowledged: 1 });
    expect(t.delays).toEqual([30_000, 1_500, 3_000]);

    t.ledger.appendPayment(record(newWallet(), 1, 500), t.clock.now());
    service.closePeriod();
    const bad = t.make({
      uploadBatch: () => Promise.reject(new TerminalError('bad_response', 'not a result')),
    });
    expect(await bad.upload()).toMatchObject({ state: 'failed', code: 'bad_response' });
    expect(t.delays).toHaveLength(3);
  });
});

describe('deadline and schedule', () => {
  it('counts down to the oldest unsent batch deadline, then flags its payments stale', () => {
    const t = setup();
    const service = t.make();
    const { periodSeconds, uploadWithinSeconds } = PARAMETERS.settlement;
    const open = service.status();
    expect(open.deadline).toMatchObject({
      at: open.openPeriod.scheduledEnd - 1 + uploadWithinSeconds,
      batchId: null,
    });
    t.ledger.appendPayment(record(newWallet(), 1, 500), t.clock.now());
    t.clock.set(open.openPeriod.scheduledEnd + 5);
    const [batch] = service.runSchedule();
    const deadline = open.openPeriod.scheduledEnd - 1 + uploadWithinSeconds;
    expect(service.status().deadline).toEqual({
      at: deadline,
      secondsLeft: deadline - t.clock.now(),
      batchId: batch!.batchId,
    });
    t.clock.advance(100);
    expect(service.status().deadline.secondsLeft).toBe(deadline - t.clock.now());
    expect(service.status().stale.count).toBe(0);
    // The record (terminalTime 1_700_000_001) is at the terminal's risk after P + W.
    t.clock.set(1_700_000_001 + periodSeconds + uploadWithinSeconds + 1);
    expect(service.status().stale).toEqual({
      count: 1,
      amount: 500,
      oldestTerminalTime: 1_700_000_001,
    });
    expect(service.status().deadline.secondsLeft).toBeLessThan(0);
  });

  it('start() cuts and uploads at each period end on its own timer', async () => {
    const t = setup();
    const pending: { callback: () => void; ms: number }[] = [];
    const timers: Timers = {
      setTimeout: (callback, ms) => pending.push({ callback, ms }),
      clearTimeout: () => {},
    };
    const service = t.make({ timers });
    t.ledger.appendPayment(record(newWallet(), 1, 500), t.clock.now());
    service.start();
    const boundary = service.status().openPeriod.scheduledEnd;
    expect(pending.map((p) => p.ms)).toEqual([(boundary - t.clock.now()) * 1000]);
    t.clock.set(boundary);
    pending.shift()!.callback();
    await expect.poll(() => service.status().pending.length).toBe(0);
    expect(service.batches()).toMatchObject([{ state: 'acknowledged', periodEnd: boundary - 1 }]);
    service.stop();
  });
});
