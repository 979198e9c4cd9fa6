// One payment in full: its fields, its verification steps, its settlement verdict, and a void
// (with a confirmation) while it is not settled yet.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentDetail } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { ConfirmDialog, Dialog } from '../../components/ConfirmDialog';
import { Fact } from '../../components/Fact';
import { VerificationSteps } from '../../components/VerificationSteps';
import { formatDateTime, formatMoney } from '../../format/money';
import { applyEvent } from '../../store/events';

export function PaymentDetails({ paymentId, onClose }: { paymentId: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [detail, setDetail] = useState<PaymentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const locale = i18n.language;

  const load = () =>
    api
      .call('payments.get', { paymentId })
      .then(setDetail, (e: unknown) => setError(describeError(e)));
  // Loads once per payment shown; `load` is new at every render.
  useEffect(() => void load(), [paymentId]);

  const voidPayment = async () => {
    setConfirming(false);
    try {
      applyEvent('payments.changed', await api.call('payments.void', { paymentId }));
      await load();
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  const canVoid = detail !== null && detail.status === 'approved' && detail.batchId === null;
  return (
    <Dialog title={t('history.detailTitle', { id: paymentId })} onClose={onClose}>
      {detail === null && error === null && <p role="status">{t('common.loading')}</p>}
      {detail !== null && (
        <>
          <dl className="facts">
            <Fact
              label={t('history.col.amount')}
              value={formatMoney(detail.amount, detail.currency, locale)}
            />
            <Fact
              label={t('history.col.time')}
              value={formatDateTime(detail.terminalTime, locale)}
            />
            <Fact label={t('history.col.status')} value={t(`history.status.${detail.status}`)} />
            <Fact label={t('history.col.wallet')} value={detail.walletId} />
            <Fact label={t('receipt.counter')} value={String(detail.counter)} />
            <Fact label={t('history.nonce')} value={detail.nonce} />
            <Fact label={t('history.batch')} value={detail.batchId ?? t('history.notSettled')} />
            {detail.voidedAt !== null && (
              <Fact label={t('history.voidedAt')} value={formatDateTime(detail.voidedAt, locale)} />
            )}
            {detail.settlement !== null && (
              <Fact
                label={t('history.verdict')}
                value={`${detail.settlement.status} ${detail.settlement.reason}`}
              />
            )}
          </dl>
          <h3>{t('history.steps')}</h3>
          <VerificationSteps steps={detail.steps} />
        </>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        {canVoid && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('history.void')}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {confirming && detail !== null && (
        <ConfirmDialog
          title={t('history.voidTitle')}
          confirmLabel={t('history.voidConfirm')}
          onConfirm={() => void voidPayment()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {t('history.voidQuestion', {
              amount: formatMoney(detail.amount, detail.currency, locale),
            })}
          </p>
        </ConfirmDialog>
      )}
    </Dialog>
  );
}
