// A sale the terminal refused before any tap (not ready: no fresh hotlist, certificate out of
// date, ledger checks failed), said as a decline is: the reason in the cashier's language,
// what to do next, and the service's own detail.
import { useTranslation } from 'react-i18next';
import { DECLINE_REASONS, type DeclineCode } from '../../../../preload/contract/declines';

export interface Refusal {
  readonly code: DeclineCode;
  readonly detail: string;
}

export function RefusalAlert({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="error decline">
      <p className="decline-reason">{t(`decline.codes.${refusal.code}`)}</p>
      <p className="decline-action">
        <strong>{t('decline.next')}</strong>{' '}
        {t(`decline.actions.${DECLINE_REASONS[refusal.code].action}`)}
      </p>
      <p className="muted">{refusal.detail}</p>
    </div>
  );
}
