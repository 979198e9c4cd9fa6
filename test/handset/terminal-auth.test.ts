/**
 * The wallet talks only to certified terminals (issue 9 §2): a rogue reader with valid
 * APDUs but no certificate, a self-signed one, another terminal's, an expired or a
 * suspended one never gets a record, nor the wallet's data; READ LOG shows a terminal only
 * its own records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  keyIdOf,
  PaymentRequest,
  SW,
  type Signed,
  type TerminalCertificate,
} from '../../protocol';
import { DAY, issuerKey, strangerKey } from './support/platform';
import { activatedRig, removeTempDirs, type Rig } from './support/setup';
import { certifyTerminal, TestTerminal } from './support/terminal';

afterEach(removeTempDirs);

/** The wallet's money and log, to show that a refusal signed nothing. */
function untouched(rig: Rig, balance: number) {
  expect(rig.phone.snapshot().wallet).toMatchObject({ balance, counter: 0, log: [] });
}

function rogue(rig: Rig, certificate: Signed<TerminalCertificate> | undefined) {
  const terminal = new TestTerminal(rig.field, rig.clock, { key: generateSigningKey() });
  terminal.certificate = certificate;
  return terminal;
}

describe('a rogue reader never gets a record', () => {
  it('without a certificate: PAY and every read are 9F10', async () => {
    const rig = await activatedRig();
    const terminal = rogue(rig, undefined);
    const { sw, presented } = await terminal.select();
    expect([sw, presented]).toEqual([SW.ok, undefined]);
    expect((await terminal.readCertificate()).sw).toBe(SW.terminal_not_authenticated);
    expect((await terminal.readFreshness()).sw).toBe(SW.terminal_not_authenticated);
    expect((await terminal.readLog(16)).sw).toBe(SW.terminal_not_authenticated);
    const paid = await terminal.pay(terminal.request(100), { select: false });
    expect(paid).toEqual({ sw: SW.terminal_not_authenticated, record: undefined });
    untouched(rig, rig.platform.policy.initialBalance);
  });

  it('with a self-signed certificate: 9F11, then nothing', async () => {
    const rig = await activatedRig();
    const key = generateSigningKey();
    const selfSigned = certifyTerminal(rig.clock, { terminalPublicKey: key.publicKey }, key);
    const terminal = rogue(rig, selfSigned);
    expect((await terminal.select()).presented).toBe(SW.terminal_certificate_invalid);
    expect((await terminal.pay(terminal.request(100), { select: false })).sw).toBe(
      SW.terminal_not_authenticated,
    );
    untouched(rig, rig.platform.policy.initialBalance);
  });

  it('with a certificate signed by a stranger under the issuer key id: 9F11', async () => {
    const rig = await activatedRig();
    const forged = certifyTerminal(
      rig.clock,
      { issuerKeyId: keyIdOf(issuerKey.publicKey) },
      strangerKey,
    );
    expect((await rogue(rig, forged).select()).presented).toBe(SW.terminal_certificate_invalid);
  });

  it("with another terminal's certificate but its own key: 9F14", async () => {
    const rig = await activatedRig();
    const sniffed = rig.terminal.certificate;
    const terminal = rogue(rig, sniffed);
    expect((await terminal.select()).presented).toBe(SW.ok);
    expect((await terminal.pay(terminal.request(100), { select: false })).sw).toBe(
      SW.request_signature_invalid,
    );
    untouched(rig, rig.platform.policy.initialBalance);
  });

  it('with a request naming another merchant or terminal than its certificate: 9F15', async () => {
    const rig = await activatedRig();
    const { terminal, clock } = rig;
    await terminal.select();
    for (const ids of [{ merchantId: 'M-OTHER' }, { terminalId: 'T-OTHER' }]) {
      const request = PaymentRequest.sign(
        { ...terminal.request(100).value, ...ids, terminalTime: clock.now() },
        terminal.key,
      );
      expect((await terminal.pay(request, { select: false })).sw).toBe(
        SW.request_terminal_mismatch,
      );
    }
    untouched(rig, rig.platform.policy.initialBalance);
  });

  it('with an expired or not yet valid certificate: 9F12', async () => {
    const rig = await activatedRig();
    const now = rig.clock.now();
    for (const dates of [
      { validFrom: now - 2 * DAY, validUntil: now - 1 },
      { validFrom: now + 60, validUntil: now + DAY },
    ]) {
      rig.terminal.certificate = certifyTerminal(rig.clock, dates);
      expect((await rig.terminal.select()).presented).toBe(SW.terminal_certificate_expired);
      expect((await rig.terminal.pay(rig.terminal.request(1), { select: false })).sw).toBe(
        SW.terminal_not_authenticated,
      );
    }
    // The last second of validity still counts.
    rig.terminal.certificate = certifyTerminal(rig.clock, { validUntil: now });
    expect((await rig.terminal.pay(rig.terminal.request(1))).sw).toBe(SW.ok);
  });

  it('with a certificate the platform suspended, by DELIVER or by sync: 9F13', async () => {
    const rig = await activatedRig();
    const walletId = rig.phone.wallet.walletId as Uint8Array;
    const serial = rig.terminal.certificate?.value.serial as number;
    expect((await rig.terminal.pay(rig.terminal.request(10))).sw).toBe(SW.ok);

    const other = new TestTerminal(rig.field, rig.clock, {
      certificate: certifyTerminal(rig.clock, { serial: serial + 1, terminalId: 'T-0001-02' }),
    });
    await other.select();
    const notice = rig.platform.notice(walletId, 'suspend_terminal', { serial });
    expect(await other.deliver(notice)).toBe(SW.ok);
    expect((await rig.terminal.select()).presented).toBe(SW.terminal_suspended);
    expect((await rig.terminal.pay(rig.terminal.request(10), { select: false })).sw).toBe(
      SW.terminal_not_authenticated,
    );
    // Other terminals are unaffected, and the wallet stays active.
    expect((await other.pay(other.request(10))).sw).toBe(SW.ok);
    expect(rig.phone.snapshot().wallet.state).toBe('active');
    // Kept across a restart of the phone.
    rig.reopen();
    rig.field.present(rig.phone);
    expect((await rig.terminal.select()).presented).toBe(SW.terminal_suspended);

    rig.platform.notice(walletId, 'suspend_terminal', { serial: serial + 1 });
    await rig.phone.sync();
    expect((await other.select()).presented).toBe(SW.terminal_suspended);
  });
});

describe('the session', () => {
  it('ends with SELECT: a new session must present again', async () => {
    const { terminal } = await activatedRig();
    expect((await terminal.select()).presented).toBe(SW.ok);
    expect((await terminal.readCertificate()).sw).toBe(SW.ok);
    const bare = terminal.certificate;
    terminal.certificate = undefined;
    await terminal.select();
    expect((await terminal.readCertificate()).sw).toBe(SW.terminal_not_authenticated);
    terminal.certificate = bare;
  });

  it('a refused PRESENT drops the certificate accepted before it', async () => {
    const rig = await activatedRig();
    expect((await rig.terminal.select()).presented).toBe(SW.ok);
    const key = generateSigningKey();
    const bad = certifyTerminal(rig.clock, {}, key);
    expect(await rig.terminal.present(bad)).toBe(SW.terminal_certificate_invalid);
    expect((await rig.terminal.pay(rig.terminal.request(5), { select: false })).sw).toBe(
      SW.terminal_not_authenticated,
    );
  });
});

describe('READ LOG', () => {
  it("shows a terminal its own records only, never the customer's other purchases", async () => {
    const rig = await activatedRig();
    const here = rig.terminal;
    const elsewhere = new TestTerminal(rig.field, rig.clock, {
      certificate: certifyTerminal(rig.clock, { serial: 9, merchantId: 'M-0002' }),
    });
    await here.pay(here.request(10));
    await elsewhere.pay(elsewhere.request(20));
    await here.pay(here.request(30));

    await here.select();
    const mine = await here.readLog(16);
    expect(mine.records.map((r) => r.value.amount)).toEqual([30, 10]);
    await elsewhere.select();
    const theirs = await elsewhere.readLog(16);
    expect(theirs.records.map((r) => [r.value.merchantId, r.value.amount])).toEqual([
      ['M-0002', 20],
    ]);
  });
});
