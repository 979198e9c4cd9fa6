/**
 * The terminal's PC/SC reader driver under the reader service, on the real pcscd + vpcd
 * with real wallets as vpcd cards: the SELECT made on arrival, answers chained over 256
 * bytes and extended, a card pulled away mid-PAY, both vpcd slots as two readers, a card of
 * another applet, pcscd killed -9 and restarted under load, and no PC/SC stack at all.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HCE_ATR, VpcdCard } from '../../handset/transport/vpcd';
import {
  decodeFci,
  decodePaymentLog,
  INS,
  payCommand,
  PaymentRecord,
  readCertificateCommand,
  readLogCommand,
  SW,
  WalletCertificate,
} from '../../protocol';
import type { ReaderEvents, ReaderStatusEvent } from '../../main/terminal/reader/events';
import { PcscReaderDriver } from '../../main/terminal/reader/pcsc/driver';
import { loadPcscStack, pcscUnavailableNotice } from '../../main/terminal/reader/pcsc/load';
import { ReaderError, type CardInField } from '../../main/terminal/reader/reader';
import { createReaderService, type ReaderService } from '../../main/terminal/reader/service';
import { issuerKey } from '../handset/support/platform';
import { acquirePcscStack, pcscdScript, releasePcscStack } from './support/stack';
import { VPCD_READER, walletOnVpcd, type WalletOnVpcd } from './support/wallet';
import { untilState, worstTimerLag } from './support/waits';

const SECOND_READER = 'Virtual PCD 00 01';

const published: { event: keyof ReaderEvents; payload: unknown }[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  published.length = 0;
});

const statuses = (): ReaderStatusEvent[] =>
  published.filter((p) => p.event === 'reader.status').map((p) => p.payload as ReaderStatusEvent);

function service(driver: PcscReaderDriver): ReaderService {
  const readers = createReaderService({
    drivers: [driver],
    publish: (event, payload) => published.push({ event, payload }),
  });
  cleanups.push(() => readers.close());
  return readers;
}

async function wallet(port?: number): Promise<WalletOnVpcd> {
  const rig = await walletOnVpcd(port === undefined ? {} : { port });
  // Cards leave first (and are seen to), then the service closes: registered before it.
  cleanups.unshift(() => rig.close());
  return rig;
}

const nextCard = (readers: ReaderService, name: string, timeoutMs = 5_000) =>
  readers.waitForCard(name, AbortSignal.timeout(timeoutMs));

async function tap(readers: ReaderService, rig: WalletOnVpcd, name = VPCD_READER) {
  const arrival = nextCard(readers, name);
  rig.vpcd.insert();
  return arrival;
}

async function certificate(card: CardInField, rig: WalletOnVpcd) {
  expect((await card.exchange(rig.presentCommand())).sw).toBe(SW.ok);
  const { data, sw } = await card.exchange(readCertificateCommand());
  expect(sw).toBe(SW.ok);
  return WalletCertificate.open(data, issuerKey.publicKey);
}

async function pay(card: CardInField, rig: WalletOnVpcd, amount: number) {
  const cert = await certificate(card, rig);
  const paid = await card.exchange(payCommand(rig.request(amount).encoded));
  expect(paid.sw).toBe(SW.ok);
  return PaymentRecord.open(paid.data, cert.value.walletPublicKey).value;
}

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const ready = await acquirePcscStack();
afterAll(async () => {
  // Whatever happened here, later files find pcscd running as they expect.
  if (ready) await pcscdScript('start');
  releasePcscStack();
});

describe.skipIf(!ready)('the PC/SC reader driver on pcscd + vpcd', () => {
  it('lists both vpcd slots, SELECTs on arrival, and chains and extends answers', async () => {
    const rig = await wallet();
    const readers = service(new PcscReaderDriver());
    await readers.start();
    await expect
      .poll(() => readers.readers().map((r) => r.name))
      .toEqual(expect.arrayContaining([VPCD_READER, SECOND_READER]));

    let card = await tap(readers, rig);
    expect(card.select.sw).toBe(SW.ok);
    expect(decodeFci(card.select.data).walletState).toBe('active');
    expect(readers.readers().find((r) => r.name === VPCD_READER)?.state).toBe('busy');
    const cert = await certificate(card, rig);
    const extended = await card.exchange(readCertificateCommand({ extended: true }));
    expect(Buffer.from(extended.data).equals(cert.encoded)).toBe(true);

    for (const amount of [100, 200, 300, 400, 500, 600]) {
      expect((await card.exchange(payCommand(rig.request(amount).encoded))).sw).toBe(SW.ok);
    }
    // Six records with a short Le: more than 256 bytes, so the phone answered 61xx parts.
    const log = await card.exchange(readLogCommand(6));
    expect(log.sw).toBe(SW.ok);
    expect(log.data.length).toBeGreaterThan(256);
    const records = decodePaymentLog(log.data, 6);
    expect(records.map((r) => r.value.counter).sort()).toEqual([1, 2, 3, 4, 5, 6]);

    rig.vpcd.remove();
    await expect.poll(() => card.gone).toBe(true);
    card = await tap(readers, rig);
    expect((await pay(card, rig, 50)).counter).toBe(7);
  });

  it('rejects the exchange with card_removed when the phone leaves mid-PAY', async () => {
    const rig = await wallet();
    const readers = service(new PcscReaderDriver());
    await readers.start();
    const card = await tap(readers, rig);
    await certificate(card, rig);
    rig.tearAfter = (command) => command[1] === INS.pay;
    const torn = await failure(card.exchange(payCommand(rig.request(700).encoded)));
    expect(torn).toBeInstanceOf(ReaderError);
    expect((torn as ReaderError).code).toBe('card_removed');
    await expect.poll(() => card.gone).toBe(true);
    await expect
      .poll(() => readers.readers().find((r) => r.name === VPCD_READER)?.state)
      .toBe('ready');
    expect(readers.readers().find((r) => r.name === VPCD_READER)?.lastError).toBeDefined();
    const later = await failure(card.exchange(readCertificateCommand()));
    expect((later as ReaderError).code).toBe('card_removed');
  });

  it('serves two vpcd slots as two readers, and announces another applet with its 6A82', async () => {
    const [first, second] = [await wallet(), await wallet(35_964)];
    const readers = service(new PcscReaderDriver());
    await readers.start();
    const [one, two] = await Promise.all([
      tap(readers, first, VPCD_READER),
      tap(readers, second, SECOND_READER),
    ]);
    const [a, b] = await Promise.all([pay(one, first, 10), pay(two, second, 20)]);
    expect([a.amount, b.amount]).toEqual([10, 20]);
    expect(Buffer.from(a.walletId).equals(Buffer.from(b.walletId))).toBe(false);

    first.vpcd.remove();
    await expect.poll(() => one.gone).toBe(true);
    const stranger = new VpcdCard(
      { atr: HCE_ATR, processApdu: () => Uint8Array.of(0x6a, 0x82) },
      { minBackoffMs: 50, maxBackoffMs: 400 },
    );
    cleanups.unshift(() => stranger.remove('test over'));
    const arrival = nextCard(readers, VPCD_READER);
    stranger.insert();
    const card = await arrival;
    expect(card.select.sw).toBe(SW.application_not_found);
    expect(two.gone).toBe(false);
  });

  it('reports pcscd killed under load, fails exchanges in flight, and recovers', async () => {
    const rig = await wallet();
    const readers = service(new PcscReaderDriver());
    await readers.start();
    const card = await tap(readers, rig);
    await certificate(card, rig);

    // Under load: exchanges back to back until one fails.
    const load = (async () => {
      for (;;) await card.exchange(readCertificateCommand());
    })();
    const pid = Number(readFileSync('/run/pcscd/pcscd.pid', 'utf8').replace(/\D/g, ''));
    process.kill(pid, 'SIGKILL');
    const { value: inFlight, lagMs } = await worstTimerLag(failure(load));
    expect(inFlight).toBeInstanceOf(ReaderError);
    expect((inFlight as ReaderError).code).toBe('reader_gone');
    expect(card.gone).toBe(true);
    await expect
      .poll(() => statuses().map((s) => s.message))
      .toContainEqual(expect.stringMatching(/^pcscd went away; waiting for it/));
    expect(readers.readers()).toEqual([]);
    // While pcscd is down nothing spins: timers keep firing on time.
    const outage = await worstTimerLag(new Promise((resolve) => setTimeout(resolve, 600)));
    expect(Math.max(lagMs, outage.lagMs)).toBeLessThan(250);

    const again = nextCard(readers, VPCD_READER, 15_000);
    await pcscdScript('start');
    const back = await again;
    expect(statuses().at(-1)).toMatchObject({ level: 'info', message: 'PC/SC ready again' });
    expect(statuses().filter((s) => s.level === 'warning')).toHaveLength(1);
    expect((await pay(back, rig, 400)).amount).toBe(400);
    await untilState(rig.vpcd, 'powered');
  }, 40_000);
});

describe('the PC/SC reader driver without the PC/SC stack', () => {
  it('starts with no readers and says once what is missing and how to get it', async () => {
    const missing = Object.assign(new Error("Cannot find module '@pokusew/pcsclite'"), {
      code: 'MODULE_NOT_FOUND',
    });
    const stack = loadPcscStack(() => {
      throw missing;
    });
    expect(stack.available).toBe(false);
    const readers = service(new PcscReaderDriver({ stack }));
    await readers.start();
    expect(readers.readers()).toEqual([]);
    expect(statuses()).toEqual([
      {
        level: 'warning',
        message: pcscUnavailableNotice(
          '@pokusew/pcsclite is not installed (npm skips it where its native build fails: no winscard.h)',
        ),
        at: expect.any(Number) as number,
      },
    ]);
  });
});
