// What the sale in progress is doing, in words a cashier acts on: the tap prompt, the reading
// and verifying steps, approved (with the receipt), declined (why, and what to do next), or
// torn ("tap again"). Announced by a live region.
import { useTranslation } from 'react-i18next';
import type { CheckoutView } from '../../../../preload/api';
import { Receipt } from '../../components/Receipt';
import { formatMoney } from '../../format/money';

export function SaleStatus({ sale }: { readonly sale: CheckoutView | null }) {
  const { t, i18n } = useTranslation();
  const state = sale?.state ?? 'idle';
  const amount = sale === null ? '' : formatMoney(sale.amount, sale.currency, i18n.language);
  return (
    <section className="sale-status" data-state={state} aria-labelledby="sale-state">
      <div role="status" aria-live="assertive" aria-atomic="true">
        <h2 id="sale-state">{t(`cashier.state.${state}`, { amount })}</h2>
        <p>{t(`cashier.prompt.${state}`)}</p>
        {sale !== null && sale.decline !== null && (
          <div className="decline">
            <p className="decline-reason">{t(`decline.codes.${sale.decline.code}`)}</p>
            <p className="decline-action">
              <strong>{t('decline.next')}</strong> {t(`decline.actions.${sale.decline.action}`)}
            </p>
            {sale.decline.detail !== null && <p className="muted">{sale.decline.detail}</p>}
          </div>
        )}
      </div>
      {sale !== null && sale.state === 'approved' && sale.payment !== null && (
        <Receipt payment={sale.payment} />
      )}
    </section>
  );
}
