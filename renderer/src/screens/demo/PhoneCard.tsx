// One emulated phone: identity (IMEI, IMSI), wallet state, balance, log, and its actions.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAction, DemoPhoneView } from '../../../../preload/api';
import { Fact } from '../../components/Fact';
import { formatDateTime, formatMoney } from '../../format/money';
import { actionTakesAmount, DEMO_ACTION_LIST } from './actions';
import { walletStateText } from './wallet-state';

export interface PhoneCardProps {
  readonly phone: DemoPhoneView;
  readonly busy: boolean;
  readonly onAction: (action: DemoAction, amount?: number) => void;
}

export function PhoneCard({ phone, busy, onAction }: PhoneCardProps) {
  const { t, i18n } = useTranslation();
  const [topUp, setTopUp] = useState('10000');
  const locale = i18n.language;
  const money = (n: number) => formatMoney(n, phone.currency, locale);
  const titleId = `phone-${phone.phoneId}`;
  return (
    <li className="card phone" data-wallet-state={phone.walletState} aria-labelledby={titleId}>
      <h3 id={titleId}>
        {phone.label}
        {/* The space keeps the card's accessible name "Alice on the reader", not "Aliceon…". */}
        {phone.onReader && (
          <>
            {' '}
            <span className="badge">{t('demo.onReader')}</span>
          </>
        )}
      </h3>
      <dl className="facts">
        <Fact label="IMEI" value={phone.imei} />
        <Fact label="IMSI" value={phone.imsi} />
        <Fact label={t('demo.walletState')} value={walletStateText(phone.walletState, t)} />
        <Fact label={t('demo.balance')} value={money(phone.balance)} />
        {phone.platformBalance !== undefined && (
          <Fact label={t('demo.platformBalance')} value={money(phone.platformBalance)} />
        )}
        <Fact label={t('receipt.counter')} value={String(phone.counter)} />
        <Fact label={t('demo.power')} value={phone.powered ? t('demo.on') : t('demo.off')} />
        <Fact label={t('demo.signal')} value={phone.signal ? t('demo.on') : t('demo.off')} />
        <Fact label={t('history.col.wallet')} value={phone.walletId ?? '—'} />
      </dl>
      <div
        className="demo-actions"
        role="group"
        aria-label={t('demo.actionsOf', { phone: phone.label })}
      >
        {DEMO_ACTION_LIST.map((action) => (
          <button
            key={action}
            type="button"
            disabled={busy}
            aria-label={t('demo.actionOn', {
              action: t(`demo.actions.${action}`),
              phone: phone.label,
            })}
            onClick={() =>
              actionTakesAmount(action) ? onAction(action, Number(topUp)) : onAction(action)
            }
          >
            {t(`demo.actions.${action}`)}
          </button>
        ))}
        <label>
          {t('demo.topUpAmount')}
          <input
            type="number"
            min={1}
            step={1}
            value={topUp}
            onChange={(e) => setTopUp(e.target.value)}
          />
        </label>
      </div>
      <details>
        <summary>{t('demo.log', { count: phone.log.length })}</summary>
        <ol className="log">
          {phone.log.map((entry) => (
            <li key={entry.counter}>
              #{entry.counter} · {money(entry.amount)} · {entry.terminalId} ·{' '}
              {formatDateTime(entry.terminalTime, locale)}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}
