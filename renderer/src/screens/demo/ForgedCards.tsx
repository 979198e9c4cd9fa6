// The demo panel's forged cards: pick a forgery (and the phone behind it), tap it during a
// sale, and the cashier's screen shows the terminal refusing it (main/demo/forgeries).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoForgery, DemoView } from '../../../../preload/api';

// In the order of DEMO_FORGERIES (preload/contract/methods.ts), kept here as a typed record
// because methods.ts also holds zod schemas; a missing or extra forgery fails to compile.
const FORGERIES: Readonly<Record<DemoForgery, true>> = {
  transit_card: true,
  future_protocol: true,
  blank_wallet: true,
  disabled_wallet: true,
  unknown_issuer: true,
  certificate_flipped: true,
  certificate_expired: true,
  foreign_currency: true,
  other_wallet_certificate: true,
  freshness_flipped: true,
  freshness_future: true,
  record_flipped: true,
  echo_previous_sale: true,
  clone_with_newer_token: true,
  truncated_answer: true,
  refuses_terminal: true,
  heard_suspension: true,
  card_fault: true,
  strict_limit_certificate: true,
};
export const FORGERY_LIST = Object.keys(FORGERIES) as DemoForgery[];

export interface ForgedCardsProps {
  readonly view: DemoView;
  readonly busy: boolean;
  readonly onTap: (forgery: DemoForgery, phoneId: string | undefined) => void;
}

export function ForgedCards({ view, busy, onTap }: ForgedCardsProps) {
  const { t } = useTranslation();
  const [forgery, setForgery] = useState<DemoForgery>('transit_card');
  const [phoneId, setPhoneId] = useState('');
  return (
    <section className="forged-cards" aria-labelledby="forged-cards-title">
      <h3 id="forged-cards-title">{t('forgeries.title')}</h3>
      <p>{t('forgeries.intro')}</p>
      <div className="actions">
        <label>
          {t('forgeries.forgery')}
          <select value={forgery} onChange={(e) => setForgery(e.target.value as DemoForgery)}>
            {FORGERY_LIST.map((name) => (
              <option key={name} value={name}>
                {t(`forgeries.names.${name}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('forgeries.phone')}
          <select value={phoneId} onChange={(e) => setPhoneId(e.target.value)}>
            <option value="">{t('forgeries.firstPhone')}</option>
            {view.phones.map((phone) => (
              <option key={phone.phoneId} value={phone.phoneId}>
                {phone.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={busy}
          onClick={() => onTap(forgery, phoneId === '' ? undefined : phoneId)}
        >
          {t('forgeries.tap')}
        </button>
      </div>
    </section>
  );
}
