/**
 * The checkout's state machine on scripted cards and a real ledger file: what no honest
 * phone does (not a wallet, a garbled FCI, a refused terminal certificate, a reader fault,
 * a card gone before PAY), and the service's own refusals.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFci, INS, SW, type ResponseApdu } from '../../../protocol';
import { LedgerStore } from '../../../db/ledger-store';
import {
  createCheckoutService,
  type CheckoutService,
  type CheckoutStateEvent,
} from '../../../main/terminal/checkout';
import { ReaderError } from '../../../main/terminal/reader/reader';
import { useTempDir } from '../../db/support/ledger';
import { scriptedCard, ScriptedCards, type Script } from '../support/scripted-cards';
import { clock, terminalSetup, WALLET_ID } from '../support/world';

const EUR = 978;
const tempDir = useTempDir('checkout-service');
const activeFci: ResponseApdu = {
  data: encodeFci({ protocolVersion: 1, walletState: 'active', walletId: WALLET_ID }),
  sw: SW.ok,
};
const ok = { data: new Uint8Array(0), sw: SW.ok };

let service: CheckoutService | undefined;
let ledger: LedgerStore | undefined;
afterEach(async () => {
  await service?.close();
  ledger?.close();
  service = undefined;
  ledger = undefined;
});

function open(options: { skipStartupCheck?: boolean } = {}) {
  ledger = LedgerStore.open(join(tempDir(), 'ledger.db'), options);
  const cards = new ScriptedCards();
  const states: CheckoutStateEvent[] = [];
  service = createCheckoutService({
    cards,
    ledger,
    setup: () => terminalSetup(),
    clock,
    random: (size) => new Uint8Array(randomBytes(size)),
    publish: (event, payload) => {
      if (event === 'checkout.state') states.push(payload as CheckoutStateEvent);
    },
  });
  return { service, cards, states, ledger };
}

async function declinedBy(select: ResponseApdu, script: Script) {
  const { service, cards } = open();
  const sale = await service.start({ amount: 100, currency: EUR });
  cards.push(scriptedCard(select, script));
  return service.outcome(sale.saleId);
}

describe('checkout on scripted cards', () => {
  it('declines not_a_wallet when SELECT answers 6A82', async () => {
    const result = await declinedBy({ data: new Uint8Array(0), sw: 0x6a82 }, () => ok);
    expect(result).toMatchObject({ state: 'declined', decline: { code: 'not_a_wallet' } });
  });

  it('declines malformed_answer for an FCI that does not decode', async () => {
    const garbled = { data: Uint8Array.from([0x6f, 0x81, 0x03, 0xdf, 0x01, 0x01]), sw: SW.ok };
    const result = await declinedBy(garbled, () => ok);
    expect(result).toMatchObject({ decline: { code: 'malformed_answer', action: 'tap_again' } });
  });

  it('declines terminal_certificate_refused when PRESENT answers 9F11', async () => {
    const result = await declinedBy(activeFci, (command) =>
      command[1] === INS.presentTerminalCertificate
        ? { data: new Uint8Array(0), sw: SW.terminal_certificate_invalid }
        : ok,
    );
    expect(result).toMatchObject({
      decline: { code: 'terminal_certificate_refused', action: 'terminal_sync' },
    });
  });

  it('declines card_error on a reader fault before PAY, nothing pending', async () => {
    const result = await declinedBy(
      activeFci,
      () => new ReaderError('transmit_failed', 'the reader answered 6F00'),
    );
    expect(result).toMatchObject({ decline: { code: 'card_error' } });
    expect(ledger?.pendingRequests()).toEqual([]);
  });

  it('a card gone before PAY: back to awaiting a tap, the same sale goes on', async () => {
    const { service, cards, states } = open();
    const sale = await service.start({ amount: 100, currency: EUR });
    cards.push(scriptedCard(activeFci, () => new ReaderError('card_removed', 'gone')));
    cards.push(scriptedCard({ data: new Uint8Array(0), sw: 0x6a82 }, () => ok));
    const result = await service.outcome(sale.saleId);
    expect(result.decline?.code).toBe('not_a_wallet');
    const awaiting = states.filter((e) => e.state === 'awaiting_tap');
    expect(awaiting).toHaveLength(2);
    expect(awaiting[1]?.reason).toContain('tap again');
  });
});

describe('checkout refusals', () => {
  it('refuses to start on a ledger whose start-up checks did not pass', async () => {
    const { service } = open({ skipStartupCheck: true });
    await expect(service.start({ amount: 100, currency: EUR })).rejects.toMatchObject({
      code: 'terminal_not_ready',
    });
  });

  it('names unknown sales, and a sale on any reader excludes one on a named reader', async () => {
    const { service } = open();
    await expect(service.outcome('nope')).rejects.toMatchObject({ code: 'unknown_sale' });
    await expect(service.cancel('nope')).rejects.toMatchObject({ code: 'unknown_sale' });
    await service.start({ amount: 100, currency: EUR });
    await expect(
      service.start({ amount: 100, currency: EUR, readerName: 'Till 2' }),
    ).rejects.toMatchObject({ code: 'sale_in_progress' });
    await expect(
      service.start({ amount: 100, currency: EUR, readerName: '' }),
    ).rejects.toMatchObject({ code: 'invalid_reader' });
  });
});
