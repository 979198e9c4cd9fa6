import { beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../renderer/src/bridge/client';
import { eventReducers, subscribeToEvents } from '../../renderer/src/store/events';
import {
  selectActiveReader,
  selectCurrency,
  selectJournal,
  selectPaymentsRevision,
  selectSale,
} from '../../renderer/src/store/selectors';
import { resetTerminalState, useTerminal } from '../../renderer/src/store/terminal-store';
import { createFakeBridge } from './fake-bridge';
import { demo, payment, phone, readers, sale } from './views';

describe('the event store', () => {
  beforeEach(resetTerminalState);

  it('turns every contract event into its slice, through one subscription point', () => {
    const bridge = createFakeBridge({});
    const unsubscribe = subscribeToEvents(createApiClient(bridge));
    expect(bridge.listenerCount()).toBe(Object.keys(eventReducers).length);

    bridge.emit('checkout.state', sale({ state: 'reading' }));
    expect(selectSale(useTerminal.getState())?.state).toBe('reading');

    bridge.emit('readers.changed', readers);
    expect(selectActiveReader(useTerminal.getState())?.name).toBe('Emulated reader');

    bridge.emit('payments.changed', payment());
    bridge.emit('payments.changed', payment({ status: 'voided' }));
    expect(selectPaymentsRevision(useTerminal.getState())).toBe(2);
    expect(useTerminal.getState().payments.lastChanged?.status).toBe('voided');

    bridge.emit('app.status', {
      level: 'warning',
      message: 'reader lost',
      at: '2026-01-01T00:00:00Z',
    });
    expect(useTerminal.getState().app.status?.message).toBe('reader lost');

    bridge.emit('settlement.progress', {
      batchId: '00'.repeat(16),
      state: 'uploading',
      attempt: 1,
      nextRetryAt: null,
      done: 1,
      of: 3,
      message: '',
    });
    expect(useTerminal.getState().settlement.progress?.done).toBe(1);

    unsubscribe();
    expect(bridge.listenerCount()).toBe(0);
    bridge.emit('checkout.state', sale({ state: 'approved' }));
    expect(selectSale(useTerminal.getState())?.state).toBe('reading');
  });

  it('journals each new checkout state once, with the decline code', () => {
    const bridge = createFakeBridge({});
    subscribeToEvents(createApiClient(bridge));
    bridge.emit('checkout.state', sale({ state: 'awaiting_tap' }));
    bridge.emit('checkout.state', sale({ state: 'awaiting_tap' }));
    bridge.emit(
      'checkout.state',
      sale({
        state: 'declined',
        decline: { code: 'wallet_locked', message: '', action: 'customer_unlock', detail: null },
      }),
    );
    const journal = selectJournal(useTerminal.getState());
    expect(journal.map((e) => e.key)).toEqual(['checkout_awaiting_tap', 'checkout_declined']);
    expect(journal[1]?.values['code']).toBe('wallet_locked');
  });

  it('never brings an ended sale back to an earlier state (a late call result)', () => {
    const bridge = createFakeBridge({});
    subscribeToEvents(createApiClient(bridge));
    bridge.emit('checkout.state', sale({ state: 'approved' }));
    bridge.emit('checkout.state', sale({ state: 'awaiting_tap' }));
    expect(selectSale(useTerminal.getState())?.state).toBe('approved');
    bridge.emit('checkout.state', sale({ saleId: 'sale-2', state: 'awaiting_tap' }));
    expect(selectSale(useTerminal.getState())?.saleId).toBe('sale-2');
    // A torn tap goes back to reading: not an ended sale, so allowed.
    bridge.emit('checkout.state', sale({ saleId: 'sale-2', state: 'torn' }));
    bridge.emit('checkout.state', sale({ saleId: 'sale-2', state: 'reading' }));
    expect(selectSale(useTerminal.getState())?.state).toBe('reading');
  });

  it('journals what changed on the demo phones and the clock', () => {
    const bridge = createFakeBridge({});
    subscribeToEvents(createApiClient(bridge));
    bridge.emit('demo.changed', demo([phone()]));
    expect(selectJournal(useTerminal.getState())).toEqual([]);
    bridge.emit(
      'demo.changed',
      demo([phone({ imsi: '460009999999999', walletState: 'locked' })], 3_700),
    );
    const keys = selectJournal(useTerminal.getState()).map((e) => e.key);
    expect(keys).toEqual(['sim_changed', 'phone_wallet_state', 'clock_moved']);
    expect(selectCurrency(useTerminal.getState())).toBe(156);
  });

  it('prefers the parameters in force for the currency', () => {
    useTerminal.setState((s) =>
      eventReducers['sync.changed'](s, {
        lastSyncAt: null,
        lastOutcome: null,
        hotlist: { version: 1, issuedAt: null, ageSeconds: null, entries: 0 },
        canTakePayments: true,
        notReadyReason: null,
        parameters: {
          currency: 978,
          limitPerPayment: 5000,
          limitOfflineAmount: 20_000,
          limitOfflineCount: 10,
          freshnessMaxAgeSeconds: 86_400,
          hotlistMaxAgeSeconds: 86_400,
          settlement: { periodSeconds: 86_400, uploadWithinSeconds: 259_200 },
        },
      }),
    );
    expect(selectCurrency(useTerminal.getState())).toBe(978);
  });
});
