/**
 * A till for the checkout's end-to-end tests: the real checkout service on a real ledger
 * file in a temp folder, its own in-process reader field (phones of the rig are tapped on
 * it), the rig's terminal set up from the real platform, every event recorded.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { InProcessField, type Card } from '../../../handset';
import { LedgerStore } from '../../../db/ledger-store';
import {
  createCheckoutService,
  type CheckoutEvents,
  type CheckoutService,
  type CheckoutStateEvent,
} from '../../../main/terminal/checkout';
import type { VelocitySettings } from '../../../main/terminal/verify';
import type { Rig } from '../../scenarios/support/rig';
import { FieldCards } from './field-cards';
import { PlatformSetup } from './platform-setup';

export interface Till {
  readonly service: CheckoutService;
  readonly ledger: LedgerStore;
  readonly cards: FieldCards;
  readonly field: InProcessField;
  readonly setup: PlatformSetup;
  readonly states: CheckoutStateEvent[];
  readonly recovered: CheckoutEvents['checkout.recovered'][];
  /** For each `approved` event: was its payment already in the ledger when it was published? */
  readonly committedBeforeApproved: boolean[];
  /** Takes the phone out of the field (if there) and puts it in: one tap. */
  tap(card: Card): void;
  /** Resolves at the first state event of `saleId` in `state`. */
  reached(saleId: string, state: CheckoutStateEvent['state']): Promise<CheckoutStateEvent>;
  close(): Promise<void>;
}

export async function openTill(
  rig: Rig,
  dir: string,
  options: { name?: string; velocity?: VelocitySettings } = {},
): Promise<Till> {
  const ledger = LedgerStore.open(join(dir, 'ledger.db'));
  const field = new InProcessField(options.name ?? 'Till reader');
  const cards = new FieldCards(field);
  const setup = new PlatformSetup(rig);
  await setup.refresh();
  const states: CheckoutStateEvent[] = [];
  const recovered: CheckoutEvents['checkout.recovered'][] = [];
  const committedBeforeApproved: boolean[] = [];
  const listeners = new Set<(event: CheckoutStateEvent) => void>();
  const service = createCheckoutService({
    cards,
    ledger,
    setup: setup.get,
    clock: rig.clock,
    random: (size) => new Uint8Array(randomBytes(size)),
    ...(options.velocity ? { velocity: options.velocity } : {}),
    publish(event, payload) {
      if (event === 'checkout.recovered') {
        recovered.push(payload as CheckoutEvents['checkout.recovered']);
        return;
      }
      const state = payload as CheckoutStateEvent;
      if (state.state === 'approved' && state.payment) {
        const walletId = Buffer.from(state.payment.walletId, 'hex');
        committedBeforeApproved.push(ledger.payment(walletId, state.payment.counter) !== undefined);
      }
      states.push(state);
      for (const listener of [...listeners]) listener(state);
    },
  });
  return {
    service,
    ledger,
    cards,
    field,
    setup,
    states,
    recovered,
    committedBeforeApproved,
    tap(card) {
      field.remove('tapped again');
      field.present(card);
    },
    reached(saleId, state) {
      const seen = states.find((e) => e.saleId === saleId && e.state === state);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (event: CheckoutStateEvent) => {
          if (event.saleId !== saleId || event.state !== state) return;
          listeners.delete(listener);
          resolve(event);
        };
        listeners.add(listener);
      });
    },
    async close() {
      await service.close();
      ledger.close();
    },
  };
}
