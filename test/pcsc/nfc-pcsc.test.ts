/**
 * The wallet applet as a vpcd card on the real pcscd, read by the terminal side through
 * nfc-pcsc: detection with the auto-SELECT, the certificate whole and chained (61xx),
 * PAY, a card pulled away mid-exchange, and power cycles from either side.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeFci,
  decodePaymentLog,
  encodeCommandApdu,
  payCommand,
  PaymentRecord,
  readCertificateCommand,
  readLogCommand,
  selectCommand,
  SW,
  WalletCertificate,
  type Signed,
  type WalletCertificate as Certificate,
} from '../../protocol';
import type { CardArrival, NfcPcscReader } from '../../main/terminal/reader/pcsc/nfc-reader';
import { PcscReaderError } from '../../main/terminal/reader/pcsc/errors';
import { issuerKey } from '../handset/support/platform';
import { acquirePcscStack, releasePcscStack } from './support/stack';
import { useWalletAndReader, VPCD_READER, type WalletOnVpcd } from './support/wallet';
import { next, untilState } from './support/waits';

const ready = await acquirePcscStack();
afterAll(releasePcscStack);

describe.skipIf(!ready)('the wallet through pcscd + vpcd, read with nfc-pcsc', () => {
  let rig: WalletOnVpcd;
  let reader: NfcPcscReader;

  useWalletAndReader((current) => ({ rig, reader } = current));

  async function tap(): Promise<CardArrival> {
    const arrival = next<CardArrival>(reader, 'card');
    rig.vpcd.insert();
    return arrival;
  }

  /** PRESENT TERMINAL CERTIFICATE, then READ CERTIFICATE: what a terminal does after SELECT. */
  async function certificate(): Promise<Signed<Certificate>> {
    expect((await reader.send(rig.presentCommand())).sw).toBe(SW.ok);
    const { data, sw } = await reader.send(readCertificateCommand());
    expect(sw).toBe(SW.ok);
    return WalletCertificate.open(data, issuerKey.publicKey);
  }

  it('detects the phone, decodes its FCI, reads the certificate and pays', async () => {
    const arrival = await tap();
    expect(arrival.reader).toBe(VPCD_READER);
    expect(Buffer.from(arrival.atr).toString('hex')).toBe('3b80800101');
    const fci = decodeFci(arrival.selectData);
    expect(fci.walletState).toBe('active');

    const cert = await certificate();
    expect(Buffer.from(cert.value.walletId).equals(Buffer.from(fci.walletId ?? []))).toBe(true);
    // The same certificate whole (extended Le) and in 64-byte parts (61xx, GET RESPONSE).
    const whole = await reader.send(readCertificateCommand({ extended: true }));
    const chainedCommand = encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0, p2: 1, le: 64 });
    const first = await reader.transmit(chainedCommand);
    expect(first.length).toBe(64 + 2);
    expect(first[64]).toBe(0x61);
    const chained = await reader.send(chainedCommand);
    expect(Buffer.from(whole.data).equals(cert.encoded)).toBe(true);
    expect(Buffer.from(chained.data).equals(cert.encoded)).toBe(true);

    const request = rig.request(1_234);
    const paid = await reader.send(payCommand(request.encoded));
    expect(paid.sw).toBe(SW.ok);
    const record = PaymentRecord.open(paid.data, cert.value.walletPublicKey);
    expect(record.value).toMatchObject({ ...request.value, walletId: cert.value.walletId });
    expect(record.value.counter).toBe(1);
    expect(rig.phone.snapshot().wallet.balance).toBe(record.value.balanceAfter);

    const left = next(reader, 'card-removed');
    rig.vpcd.remove();
    await left;
    expect(rig.faults).toEqual([]);
    expect(rig.internalErrors).toEqual([]);
  });

  it('rejects a transmit when the phone leaves mid-exchange; the torn PAY is in the log', async () => {
    await tap();
    const cert = await certificate();
    const request = rig.request(700);
    rig.tearAfter = (command) => command[1] === 0x50; // PAY

    const removed = next(reader, 'card-removed', 2_000);
    const started = Date.now();
    const failure = await reader.send(payCommand(request.encoded)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PcscReaderError);
    expect((failure as PcscReaderError).code).toBe('card_removed');
    expect(Date.now() - started).toBeLessThan(1_000);
    await removed;
    expect(rig.vpcd.state).toBe('removed');

    // S11: the next tap finds the signed record in READ LOG, charged once.
    const again = await tap();
    expect(decodeFci(again.selectData).walletState).toBe('active');
    expect((await reader.send(rig.presentCommand())).sw).toBe(SW.ok);
    const log = await reader.send(readLogCommand(1));
    expect(log.sw).toBe(SW.ok);
    const [record] = decodePaymentLog(log.data, 1);
    PaymentRecord.verify(record as Signed<PaymentRecord>, cert.value.walletPublicKey);
    expect(record?.value).toMatchObject({ ...request.value, counter: 1 });
    expect(rig.phone.snapshot().wallet.balance).toBe(record?.value.balanceAfter);
  });

  it('survives power off / on from the reader and from the phone', async () => {
    await tap();
    await certificate();

    // The reader cold-resets the card: vpcd sends power off then on; the session restarts.
    const before = rig.states.length;
    await reader.powerCycle();
    await untilState(rig.vpcd, 'powered');
    expect(rig.states.slice(before)).toEqual(['connected', 'powered']);
    expect((await reader.send(readCertificateCommand())).sw).toBe(SW.conditions_not_satisfied);
    expect((await reader.send(selectCommand())).sw).toBe(SW.ok);
    await certificate();

    // The phone switches off mid-session: its next answer fails, so it leaves the reader.
    rig.phone.powerOff();
    await expect(reader.send(readCertificateCommand())).rejects.toBeInstanceOf(PcscReaderError);
    expect(rig.vpcd.state).toBe('removed');
    expect(rig.faults.map((f) => f.code)).toEqual(['card_failed']);
    await next(reader, 'card-removed');

    // Switched on again and held to the reader: a new tap, and it pays.
    rig.phone.powerOn();
    const arrival = await tap();
    expect(decodeFci(arrival.selectData).walletState).toBe('active');
    const cert = await certificate();
    const paid = await reader.send(payCommand(rig.request(50).encoded));
    expect(paid.sw).toBe(SW.ok);
    PaymentRecord.open(paid.data, cert.value.walletPublicKey);
  });
});
