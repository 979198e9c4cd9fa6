/**
 * PAY is idempotent per request nonce (issue 9 §1): the same request again returns the record
 * already signed, byte for byte, with no second debit — also after a restart and when the
 * terminal re-signed the same body; the same nonce with other request fields is 9F16.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PaymentRequest, SW } from '../../protocol';
import { activatedRig, removeTempDirs } from './support/setup';

afterEach(removeTempDirs);

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');

describe('PAY per request nonce', () => {
  it('a request replayed 100 times, in random sessions, yields one record and one debit', async () => {
    const rig = await activatedRig();
    const { terminal, phone } = rig;
    const start = rig.platform.policy.initialBalance;
    const request = terminal.request(250);
    const first = await terminal.pay(request);
    expect(first.sw).toBe(SW.ok);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.boolean(), async (newSession, reSign) => {
        const again = reSign ? PaymentRequest.sign(request.value, terminal.key) : request;
        const { sw, record } = await terminal.pay(again, { select: newSession });
        expect(sw).toBe(SW.ok);
        expect(hex(record?.encoded)).toBe(hex(first.record?.encoded));
      }),
      { numRuns: 100 },
    );
    expect(phone.snapshot().wallet).toMatchObject({ balance: start - 250, counter: 1 });
    expect(phone.snapshot().wallet.log).toHaveLength(1);
  });

  it('the same nonce with any other request field is 9F16, and signs nothing', async () => {
    const { terminal, phone, clock } = await activatedRig();
    const request = terminal.request(100);
    await terminal.pay(request);
    const before = phone.snapshot().wallet;
    for (const change of [
      { amount: 101 },
      { currency: 840 },
      { terminalTime: request.value.terminalTime + 1 },
    ]) {
      const other = PaymentRequest.sign({ ...request.value, ...change }, terminal.key);
      expect((await terminal.pay(other)).sw).toBe(SW.nonce_reused);
    }
    clock.advance(60);
    expect(phone.snapshot().wallet).toMatchObject({
      balance: before.balance,
      counter: before.counter,
    });
  });

  it('remembers the nonce across a restart of the phone (the log is durable)', async () => {
    const rig = await activatedRig();
    const request = rig.terminal.request(75);
    const first = await rig.terminal.pay(request);
    rig.reopen();
    rig.field.present(rig.phone);
    const again = await rig.terminal.pay(request);
    expect(hex(again.record?.encoded)).toBe(hex(first.record?.encoded));
    expect(rig.phone.snapshot().wallet.counter).toBe(1);
  });

  it('a replay is answered even when a new payment of that amount would now be refused', async () => {
    const { terminal, phone } = await activatedRig({ limitOfflineCount: 1 });
    const request = terminal.request(40);
    const first = await terminal.pay(request);
    expect((await terminal.pay(terminal.request(40))).sw).toBe(SW.over_offline_count);
    const again = await terminal.pay(request);
    expect(hex(again.record?.encoded)).toBe(hex(first.record?.encoded));
    expect(phone.snapshot().wallet.counter).toBe(1);
  });
});
