// The offline authorization's checks, in the order made, each passed or failed.
import { useTranslation } from 'react-i18next';
import type { VerificationStep } from '../../../preload/api';

export function VerificationSteps({ steps }: { readonly steps: readonly VerificationStep[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) return <p className="muted">{t('history.noSteps')}</p>;
  return (
    <ol className="steps" aria-label={t('history.steps')}>
      {steps.map((step, index) => (
        <li key={`${step.check}-${index}`} data-ok={step.ok}>
          <span aria-hidden="true">{step.ok ? '✓' : '✗'}</span> <span>{step.check}</span>{' '}
          <span className="sr-only">{step.ok ? t('history.stepOk') : t('history.stepFailed')}</span>
          {step.detail !== null && <span className="muted"> — {step.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
