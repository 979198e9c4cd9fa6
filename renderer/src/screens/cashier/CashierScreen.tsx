// The cashier's screen: type an amount (keypad or keyboard), Enter charges, the customer taps,
// the screen follows checkout.state. Digits and Backspace edit, Escape clears or cancels the
// sale in progress, Enter charges or starts the next sale: a whole sale without the mouse.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckoutView } from '../../../../preload/api';
import { describeError, refusalDecline } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { applyAmountKey, amountKeyOf, type AmountKey } from '../../components/amount-entry';
import { Keypad } from '../../components/Keypad';
import { ReaderLine } from '../../components/ReaderLine';
import { formatMoney } from '../../format/money';
import { applyEvent } from '../../store/events';
import {
  selectActiveReader,
  selectCurrency,
  selectReaders,
  selectSale,
} from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { RefusalAlert, type Refusal } from './RefusalAlert';
import { SaleStatus } from './SaleStatus';

const IN_PROGRESS: readonly CheckoutView['state'][] = [
  'awaiting_tap',
  'reading',
  'verifying',
  'torn',
];

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

export function CashierScreen() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const sale = useTerminal(selectSale);
  const currency = useTerminal(selectCurrency);
  const reader = useTerminal(selectActiveReader);
  const readers = useTerminal(selectReaders);
  const [amount, setAmount] = useState(0);
  const [error, setError] = useState<string | Refusal | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const amountRef = useRef<HTMLDivElement>(null);

  const shown = sale !== null && sale.saleId !== dismissed && sale.state !== 'idle' ? sale : null;
  const inProgress = shown !== null && IN_PROGRESS.includes(shown.state);
  const finished = shown !== null && !inProgress;

  const newSale = (keepAmount: boolean) => {
    if (shown !== null) setDismissed(shown.saleId);
    if (!keepAmount) setAmount(0);
    setError(null);
    amountRef.current?.focus();
  };

  const edit = (key: AmountKey) => {
    if (inProgress) return;
    // After a sale, a digit starts the next amount; Backspace corrects the last one.
    const fresh = finished && key !== 'back' && key !== 'clear';
    if (finished) setDismissed(shown.saleId);
    setError(null);
    setAmount((value) => applyAmountKey(fresh ? 0 : value, key));
  };

  const charge = async () => {
    if (inProgress || starting) return;
    if (finished && shown.state === 'approved') return newSale(false);
    // After a decline, Enter tries the same amount again, even when the typed amount was lost
    // by a visit to another tab (the demo panel's tap) unmounting this screen.
    const toCharge = amount > 0 ? amount : finished ? shown.amount : 0;
    if (toCharge <= 0) {
      setError(t('cashier.enterAmount'));
      return;
    }
    setError(null);
    setStarting(true);
    try {
      const started = await api.call('checkout.start', { amount: toCharge });
      setDismissed(null);
      applyEvent('checkout.state', started);
    } catch (caught) {
      const code = refusalDecline(caught);
      setError(
        code === undefined ? describeError(caught) : { code, detail: describeError(caught) },
      );
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (inProgress) {
      try {
        applyEvent('checkout.state', await api.call('checkout.cancel', { saleId: shown.saleId }));
      } catch (caught) {
        setError(describeError(caught));
      }
    } else {
      newSale(false);
    }
  };

  // The document's key handler is bound once and calls this render's actions.
  const latest = useRef({ edit, charge, cancel });
  useLayoutEffect(() => {
    latest.current = { edit, charge, cancel };
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isEditable(event.target)) return;
      if (document.querySelector('[role="dialog"]') !== null) return;
      const onButton = event.target instanceof HTMLButtonElement;
      const key = amountKeyOf(event);
      if (key !== undefined) {
        event.preventDefault();
        latest.current.edit(key);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        void latest.current.cancel();
      } else if (event.key === 'Enter' && !onButton) {
        event.preventDefault();
        void latest.current.charge();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => amountRef.current?.focus(), []);

  const formatted = formatMoney(amount, currency, i18n.language);
  return (
    <div className="cashier">
      <section className="entry" aria-labelledby="amount-label">
        <h2 id="amount-label" className="label">
          {t('cashier.amount')}
        </h2>
        <div
          ref={amountRef}
          className="amount"
          tabIndex={0}
          role="textbox"
          aria-readonly="true"
          aria-labelledby="amount-label"
          aria-describedby="cashier-hint"
          aria-keyshortcuts="0 1 2 3 4 5 6 7 8 9 Backspace Escape Enter"
          data-testid="amount"
        >
          {formatted}
        </div>
        <p id="cashier-hint" className="muted">
          {t('cashier.hint')}
        </p>
        <Keypad disabled={inProgress} onKey={edit} />
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={inProgress || starting}
            aria-keyshortcuts="Enter"
            onClick={() => void charge()}
          >
            {finished && shown.state === 'approved'
              ? t('cashier.newSale')
              : t('cashier.charge', { amount: formatted })}
          </button>
          <button type="button" aria-keyshortcuts="Escape" onClick={() => void cancel()}>
            {inProgress ? t('cashier.cancelSale') : t('cashier.clear')}
          </button>
        </div>
        {typeof error === 'string' && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {error !== null && typeof error !== 'string' && <RefusalAlert refusal={error} />}
      </section>
      <section className="tap" aria-label={t('cashier.tapArea')}>
        <ReaderLine
          reader={readers?.readers.find((r) => r.name === shown?.readerName) ?? reader}
          readers={readers}
        />
        <SaleStatus sale={shown} />
      </section>
    </div>
  );
}
