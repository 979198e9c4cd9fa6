/**
 * Demo mode on the real PC/SC stack: a demo phone attached to vpcd's first reader slot is
 * seen by the terminal's nfc-pcsc adapter like a phone on a USB NFC reader, and pays the
 * demo terminal enrolled with the demo's code; detached, it leaves the reader.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../handset';
import { startDemo } from '../../main/demo';
import type { CardArrival } from '../../main/terminal/reader/pcsc/nfc-reader';
import { NfcPcscReader } from '../../main/terminal/reader/pcsc/nfc-reader';
import {
  decodeFci,
  payCommand,
  PaymentRequest,
  presentTerminalCertificateCommand,
  SW,
} from '../../protocol';
import { enroll, removeTempDirs, tempDataDir } from '../demo/support';
import { acquirePcscStack, releasePcscStack } from './support/stack';
import { VPCD_READER } from './support/wallet';
import { next } from './support/waits';

const ready = await acquirePcscStack();
afterAll(releasePcscStack);

describe.skipIf(!ready)('a demo phone on pcscd + vpcd', () => {
  it('is detected, reads as an active wallet, pays the demo terminal, and leaves when detached', async () => {
    const demo = await startDemo({
      dataDir: tempDataDir(),
      clock: new SimulatedClock(),
      phoneCount: 1,
    });
    const reader = new NfcPcscReader({ acceptReader: (name) => name === VPCD_READER });
    try {
      const terminal = await enroll(demo);
      await reader.start();
      const arrival = next<CardArrival>(reader, 'card');
      const attachment = demo.attachVpcd('phone-1', { port: 35963 });
      const card = await arrival;
      const shown = demo.view().phones[0];
      const fci = decodeFci(card.selectData);
      expect(fci.walletState).toBe('active');
      expect(Buffer.from(fci.walletId ?? []).toString('hex')).toBe(shown?.walletId);

      const present = presentTerminalCertificateCommand(terminal.certificate.encoded);
      expect((await reader.send(present)).sw).toBe(SW.ok);
      const request = PaymentRequest.sign(
        {
          amount: 900,
          currency: shown?.currency ?? 0,
          merchantId: terminal.certificate.value.merchantId,
          terminalId: terminal.certificate.value.terminalId,
          terminalTime: demo.clock.now(),
          nonce: new Uint8Array(randomBytes(16)),
        },
        terminal.key,
      );
      expect((await reader.send(payCommand(request.encoded))).sw).toBe(SW.ok);
      expect(demo.view().phones[0]?.balance).toBe((shown?.balance ?? 0) - 900);

      const left = next(reader, 'card-removed');
      attachment.detach();
      await left;
    } finally {
      reader.close();
      await demo.close();
      removeTempDirs();
    }
  }, 120_000);
});
