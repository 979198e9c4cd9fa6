// Walks the patent's scenarios S1–S13 (SCENARIOS.md) step by step: what the patent says
// happens, what to do next on the demo panel or the cashier screen, and what just happened
// (the journal the event store keeps from checkout and phone changes).
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeclineCode } from '../../../../preload/api';
import { DECLINE_REASONS } from '../../../../preload/contract/declines';
import { formatMoney } from '../../format/money';
import { selectJournal } from '../../store/selectors';
import { useTerminal, type JournalEntry } from '../../store/terminal-store';
import { walletStateText } from './wallet-state';

export const SCENARIOS = [
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'S6',
  'S7',
  'S8',
  'S9',
  'S10',
  'S11',
  'S12',
  'S13',
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

const JOURNAL_SHOWN = 8;

/** A journal entry's values as the screen says them: money formatted, codes translated. */
function journalValues(entry: JournalEntry, t: TFunction, locale: string) {
  const { code, amount, currency, value } = entry.values;
  const reason = typeof code === 'string' && isDeclineCode(code) ? t(`decline.codes.${code}`) : '';
  const money =
    typeof amount === 'number' && typeof currency === 'number'
      ? formatMoney(amount, currency, locale)
      : '';
  const said =
    entry.key === 'phone_wallet_state' && typeof value === 'string'
      ? walletStateText(value, t)
      : (value ?? '');
  // Every placeholder any journal line uses, so the typed t() accepts one shape for all.
  return {
    phone: '',
    seconds: '',
    accepted: '',
    ...entry.values,
    amount: money,
    value: said,
    reason,
  };
}

function isDeclineCode(code: string): code is DeclineCode {
  return Object.hasOwn(DECLINE_REASONS, code);
}

export function ScenarioGuide() {
  const { t, i18n } = useTranslation();
  const journal = useTerminal(selectJournal);
  const [scenario, setScenario] = useState<ScenarioId>('S2');
  const [step, setStep] = useState(0);
  const steps = t(`guide.${scenario}.steps`, { returnObjects: true }) as readonly string[];
  const last = Math.max(0, steps.length - 1);
  const at = Math.min(step, last);

  return (
    <section className="guide" aria-labelledby="guide-title">
      <h3 id="guide-title">{t('demo.guide')}</h3>
      <label>
        {t('demo.scenario')}
        <select
          value={scenario}
          onChange={(e) => {
            setScenario(e.target.value as ScenarioId);
            setStep(0);
          }}
        >
          {SCENARIOS.map((id) => (
            <option key={id} value={id}>
              {id} · {t(`guide.${id}.title`)}
            </option>
          ))}
        </select>
      </label>
      <h4>{t('demo.patentSays')}</h4>
      <p className="patent">{t(`guide.${scenario}.patent`)}</p>
      <h4 id="guide-step">{t('demo.stepOf', { step: at + 1, of: steps.length })}</h4>
      <p className="guide-step" aria-live="polite">
        {steps[at]}
      </p>
      <div className="actions">
        <button type="button" disabled={at === 0} onClick={() => setStep(at - 1)}>
          {t('common.previous')}
        </button>
        <button type="button" disabled={at === last} onClick={() => setStep(at + 1)}>
          {t('common.next')}
        </button>
      </div>
      <h4>{t('demo.justHappened')}</h4>
      {journal.length === 0 ? (
        <p className="muted">{t('demo.nothingYet')}</p>
      ) : (
        <ol className="journal" aria-live="polite">
          {journal.slice(-JOURNAL_SHOWN).map((entry) => (
            <li key={entry.id} data-kind={entry.kind}>
              {t(`journal.${entry.key}`, journalValues(entry, t, i18n.language))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
