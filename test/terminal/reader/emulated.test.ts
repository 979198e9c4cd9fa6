/**
 * The emulated driver under the reader service, with real phones (the handset's wallet
 * applet, activated on the handset tests' platform) held to in-process fields: the SELECT
 * made on arrival, exchanges with chaining, cards and readers leaving mid-exchange, two
 * readers at once, and the checkout's waitForCard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessField, type Card } from '../../../handset';
import {
  decodeFci,
  encodeCommandApdu,
  INS,
  payCommand,
  PaymentRecord,
  presentTerminalCertificateCommand,
  readCertificateCommand,
  SW,
  WalletCertificate,
} from '../../../protocol';
import { EmulatedReaderDriver } from '../../../main/terminal/reader/emulated';
import type { ReaderEvents } from '../../../main/terminal/reader/events';
import { ReaderError, type CardInField } from '../../../main/terminal/reader/reader';
import { createReaderService, type ReaderService } from '../../../main/terminal/reader/service';
import { activatedRig, removeTempDirs, type Rig } from '../../handset/support/setup';
import { issuerKey } from '../../handset/support/platform';

const published: { event: keyof ReaderEvents; payload: unknown }[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  published.length = 0;
  removeTempDirs();
});

/** A real activated phone, taken off its rig's own field (tests hold it to theirs). */
async function phone(): Promise<Rig> {
  const rig = await activatedRig();
  rig.field.remove();
  cleanups.push(() => rig.phone.close());
  return rig;
}

async function readers(...names: string[]) {
  const fields = names.map((name) => new InProcessField(name));
  const driver = new EmulatedReaderDriver(fields);
  const service = createReaderService({
    drivers: [driver],
    publish: (event, payload) => published.push({ event, payload }),
    clock: { now: () => 1_700_000_000 },
  });
  await service.start();
  cleanups.push(() => service.close());
  return { fields, driver, service };
}

const nextCard = (service: ReaderService, name?: string): Promise<CardInField> =>
  service.waitForCard(name, AbortSignal.timeout(2_000));

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

function expectReaderError(error: unknown, code: ReaderError['code']): void {
  expect(error).toBeInstanceOf(ReaderError);
  expect((error as ReaderError).code).toBe(code);
}

/** PRESENT TERMINAL CERTIFICATE then READ CERTIFICATE, as the checkout does after SELECT. */
async function walletCertificate(card: CardInField, rig: Rig) {
  const certificate = rig.terminal.certificate;
  if (!certificate) throw new Error('the test terminal has no certificate');
  const present = presentTerminalCertificateCommand(certificate.encoded);
  expect((await card.exchange(present)).sw).toBe(SW.ok);
  const { data, sw } = await card.exchange(readCertificateCommand());
  expect(sw).toBe(SW.ok);
  return WalletCertificate.open(data, issuerKey.publicKey);
}

/** A card with another applet: it answers every command with 6A82 (application not found). */
const strangerCard: Card = {
  powered: true,
  present: () => {},
  remove: () => {},
  processApdu: () => Uint8Array.of(0x6a, 0x82),
};

describe('the emulated reader driver through the reader service', () => {
  it('announces an arriving phone already SELECTed, exchanges with chaining and pays', async () => {
    const rig = await phone();
    const {
      fields: [field],
      service,
    } = await readers('Counter 1');
    expect(service.readers()).toEqual([
      { name: 'Counter 1', driver: 'emulated', state: 'ready', lastError: undefined },
    ]);

    const arrival = nextCard(service);
    field?.present(rig.phone);
    const card = await arrival;
    expect(card.readerName).toBe('Counter 1');
    expect(card.select.sw).toBe(SW.ok);
    expect(decodeFci(card.select.data).walletState).toBe('active');
    expect(service.readers()[0]?.state).toBe('busy');

    const cert = await walletCertificate(card, rig);
    // The certificate in 64-byte parts: the card answers 61xx, exchange follows it.
    const chained = await card.exchange(
      encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0, p2: 1, le: 64 }),
    );
    expect(chained.sw).toBe(SW.ok);
    expect(Buffer.from(chained.data).equals(cert.encoded)).toBe(true);
    expect(cert.encoded.length).toBeGreaterThan(64);

    const request = rig.terminal.request(1_250);
    const paid = await card.exchange(payCommand(request.encoded));
    expect(paid.sw).toBe(SW.ok);
    const record = PaymentRecord.open(paid.data, cert.value.walletPublicKey);
    expect(record.value).toMatchObject({ amount: 1_250, counter: 1 });

    field?.remove();
    expect(card.gone).toBe(true);
    expect(service.readers()[0]?.state).toBe('ready');
    const changes = published.filter((p) => p.event === 'readers.changed');
    expect(changes.at(-1)?.payload).toEqual({ readers: service.readers() });
  });

  it('rejects with card_removed when the phone leaves mid-exchange, and every exchange after', async () => {
    const rig = await phone();
    const {
      fields: [field],
      service,
    } = await readers('Counter 1');
    const arrival = nextCard(service);
    field?.present(rig.phone);
    const card = await arrival;
    await walletCertificate(card, rig);

    // S11: the phone signs, then leaves before its answer reaches the reader.
    field?.tearAfterProcessing((command) => command[1] === INS.pay);
    const torn = await failure(card.exchange(payCommand(rig.terminal.request(700).encoded)));
    expectReaderError(torn, 'card_removed');
    expect(card.gone).toBe(true);
    expectReaderError(await failure(card.exchange(readCertificateCommand())), 'card_removed');

    // Pulled away while the answer is on its way (the field answers on a later tick).
    const again = nextCard(service);
    field?.present(rig.phone);
    const second = await again;
    const pending = failure(second.exchange(readCertificateCommand()));
    field?.remove('pulled away');
    expectReaderError(await pending, 'card_removed');
    expect(service.readers()[0]?.lastError).toMatch(/left the field/);
  });

  it('announces a card of another applet with its SELECT status, for the checkout to decline', async () => {
    const {
      fields: [field],
      service,
    } = await readers('Counter 1');
    const arrival = nextCard(service);
    field?.present(strangerCard);
    const card = await arrival;
    expect(card.select.sw).toBe(SW.application_not_found);
    expect(card.select.data.length).toBe(0);
  });

  it('serves two readers at once: a named wait takes only its reader, an open one the first', async () => {
    const [alice, bob] = [await phone(), await phone()];
    const { fields, service } = await readers('Counter 1', 'Counter 2');
    const [one, two] = fields;

    const onTwo = nextCard(service, 'Counter 2');
    const onAny = nextCard(service);
    let twoSettled = false;
    void onTwo.then(() => (twoSettled = true));
    one?.present(alice.phone);
    const first = await onAny;
    expect(first.readerName).toBe('Counter 1');
    await walletCertificate(first, alice);
    expect(twoSettled).toBe(false);

    two?.present(bob.phone);
    const second = await onTwo;
    expect(second.readerName).toBe('Counter 2');
    // Both cards answer, each in its own field, interleaved.
    const [a, b] = await Promise.all([
      walletCertificate(first, alice),
      walletCertificate(second, bob),
    ]);
    expect(Buffer.from(a.value.walletId).equals(Buffer.from(b.value.walletId))).toBe(false);
    expect(service.readers().map((r) => [r.name, r.state])).toEqual([
      ['Counter 1', 'busy'],
      ['Counter 2', 'busy'],
    ]);
  });

  it('does not hand a phone already resting on the reader to a new wait', async () => {
    const rig = await phone();
    const {
      fields: [field],
      service,
    } = await readers('Counter 1');
    field?.present(rig.phone);
    await expect.poll(() => service.readers()[0]?.state).toBe('card_present');
    const controller = new AbortController();
    const waiting = failure(service.waitForCard('Counter 1', controller.signal));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expectReaderError(await waiting, 'aborted');
  });

  it('rejects an exchange with reader_gone when its reader is unplugged, and drops the reader', async () => {
    const rig = await phone();
    const {
      fields: [field],
      driver,
      service,
    } = await readers('Counter 1');
    const arrival = nextCard(service);
    field?.present(rig.phone);
    const card = await arrival;
    const pending = failure(card.exchange(readCertificateCommand()));
    expect(driver.detach('Counter 1')).toBe(true);
    expectReaderError(await pending, 'reader_gone');
    expect(card.gone).toBe(true);
    expect(service.readers()).toEqual([]);
    expect(published.at(-1)).toEqual({ event: 'readers.changed', payload: { readers: [] } });

    // Plugged in again: a new card on it works.
    field?.remove();
    driver.attach(field as InProcessField);
    expect(() => driver.attach(field as InProcessField)).toThrow(
      expect.objectContaining({ code: 'reader_exists' }),
    );
    const again = nextCard(service, 'Counter 1');
    field?.present(rig.phone);
    expect((await again).select.sw).toBe(SW.ok);
  });

  it('ends a wait with a typed aborted error, at once when the signal already fired', async () => {
    const rig = await phone();
    const {
      fields: [field],
      service,
    } = await readers('Counter 1');
    expectReaderError(
      await failure(service.waitForCard(undefined, AbortSignal.abort())),
      'aborted',
    );

    const controller = new AbortController();
    const waiting = failure(service.waitForCard('Counter 1', controller.signal));
    controller.abort(new Error('sale cancelled'));
    const error = await waiting;
    expectReaderError(error, 'aborted');
    expect((error as ReaderError).cause).toEqual(new Error('sale cancelled'));

    // The cancelled wait took nothing: the card that comes next is free, not busy.
    field?.present(rig.phone);
    await expect.poll(() => service.readers()[0]?.state).toBe('card_present');
  });

  it('waits on a reader not plugged in yet, and reports a reader whose card fails the SELECT', async () => {
    const rig = await phone();
    const { driver, service } = await readers();
    const arrival = nextCard(service, 'Late');
    const late = new InProcessField('Late');
    driver.attach(late);
    late.present(rig.phone);
    expect((await arrival).readerName).toBe('Late');

    // A reader whose antenna fails: the SELECT on arrival gets no answer at all.
    const field = new InProcessField('Broken');
    driver.attach({
      name: field.name,
      get current() {
        return field.current;
      },
      transmit: () => Promise.reject(new Error('antenna fault')),
      on: (event, listener) => field.on(event, listener),
    });
    field.present(strangerCard);
    await expect
      .poll(() => service.readers().find((r) => r.name === 'Broken')?.lastError)
      .toMatch(/antenna fault/);
    const status = published.find((p) => p.event === 'reader.status')?.payload;
    expect(status).toMatchObject({ level: 'warning', at: 1_700_000_000, readerName: 'Broken' });
  });
});
