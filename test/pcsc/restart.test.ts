/**
 * pcscd going away and coming back, as a merchant's machine would see it after an update
 * or a crash: the phone (vpcd card) reconnects by itself with backoff, and the terminal's
 * nfc-pcsc adapter drops its dead NFC object, waits for pcscd's socket, and starts a new
 * one, without ever spinning the event loop while pcscd is down.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFci, payCommand, PaymentRecord, readCertificateCommand, SW } from '../../protocol';
import { WalletCertificate } from '../../protocol';
import type { CardArrival, NfcPcscReader } from '../../main/terminal/reader/pcsc/nfc-reader';
import { issuerKey } from '../handset/support/platform';
import { acquirePcscStack, pcscdScript, releasePcscStack } from './support/stack';
import { useWalletAndReader, type WalletOnVpcd } from './support/wallet';
import { next, untilState, worstTimerLag } from './support/waits';

const ready = await acquirePcscStack();
afterAll(async () => {
  // Whatever happened here, later files find pcscd running as they expect.
  if (ready) await pcscdScript('start');
  releasePcscStack();
});

describe.skipIf(!ready)('pcscd restarts under a tapped phone', () => {
  let rig: WalletOnVpcd;
  let reader: NfcPcscReader;

  useWalletAndReader((current) => ({ rig, reader } = current));

  async function payOnce(amount: number): Promise<number> {
    expect((await reader.send(rig.presentCommand())).sw).toBe(SW.ok);
    const cert = WalletCertificate.open(
      (await reader.send(readCertificateCommand())).data,
      issuerKey.publicKey,
    );
    const paid = await reader.send(payCommand(rig.request(amount).encoded));
    expect(paid.sw).toBe(SW.ok);
    return PaymentRecord.open(paid.data, cert.value.walletPublicKey).value.counter;
  }

  it('reconnects the card and recovers the reader after a stop / start and a kill -9', async () => {
    let arrival = next<CardArrival>(reader, 'card');
    rig.vpcd.insert();
    await arrival;
    expect(await payOnce(100)).toBe(1);

    // A clean stop: the reader notices, the card loses its connection and keeps retrying.
    const recovering = next(reader, 'recovering', 5_000);
    const { lagMs } = await worstTimerLag(pcscdScript('stop'));
    await recovering;
    await untilState(rig.vpcd, 'connecting');
    expect(rig.phone.snapshot().inField).toBe(false);
    // While pcscd is down nothing may spin: timers keep firing on time.
    const outage = await worstTimerLag(new Promise((resolve) => setTimeout(resolve, 600)));
    expect(Math.max(lagMs, outage.lagMs)).toBeLessThan(250);
    expect(rig.vpcd.state).toBe('connecting');

    arrival = next<CardArrival>(reader, 'card', 10_000);
    await pcscdScript('start');
    expect(decodeFci((await arrival).selectData).walletState).toBe('active');
    expect(rig.vpcd.state).toBe('powered');
    expect(await payOnce(200)).toBe(2);

    // A crash: pcscd killed outright (by the pid it wrote), its files left behind.
    const pid = Number(readFileSync('/run/pcscd/pcscd.pid', 'utf8').replace(/\D/g, ''));
    const recoveringAgain = next(reader, 'recovering', 5_000);
    arrival = next<CardArrival>(reader, 'card', 10_000);
    process.kill(pid, 'SIGKILL');
    await recoveringAgain;
    await pcscdScript('start');
    expect(decodeFci((await arrival).selectData).walletState).toBe('active');
    expect(await payOnce(300)).toBe(3);

    // One connection fault per outage at most, never one per retry.
    expect(rig.faults.every((f) => f.code === 'connection')).toBe(true);
    expect(rig.faults.length).toBeLessThanOrEqual(2);
    expect(rig.internalErrors).toEqual([]);
  }, 40_000);
});
