// The merchant's day end: the open period, pending batches (a red banner and the forward
// deadline's countdown while they cannot be sent), close period, upload with progress, and
// each batch's per-record results and discrepancies.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchResultView, BatchView } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { Fact } from '../../components/Fact';
import { useCountdown } from '../../components/useCountdown';
import { formatDateTime, formatDuration, formatMoney } from '../../format/money';
import { applyEvent } from '../../store/events';
import {
  selectCurrency,
  selectSettlementProgress,
  selectSettlementStatus,
} from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { BatchResult } from './BatchResult';

export function SettlementScreen() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const status = useTerminal(selectSettlementStatus);
  const progress = useTerminal(selectSettlementProgress);
  const currency = useTerminal(selectCurrency);
  const [batches, setBatches] = useState<readonly BatchView[]>([]);
  const [result, setResult] = useState<BatchResultView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const countdown = useCountdown(status?.deadline?.secondsLeft ?? null);
  const locale = i18n.language;
  const money = (n: number) => formatMoney(n, currency, locale);

  const reload = async () => {
    applyEvent('settlement.changed', await api.call('settlement.status'));
    setBatches(await api.call('settlement.batches', { limit: 50 }));
  };
  useEffect(() => {
    reload().catch((e: unknown) => setError(describeError(e)));
    // Reload the list when the status changes (a close or an upload finished).
  }, [status?.pending.length, status?.lastUpload?.at]);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await reload();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const open = async (batchId: string) => {
    try {
      setResult(await api.call('settlement.result', { batchId }));
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  const period = status?.openPeriod;
  const pending = status?.pending ?? [];
  const offline =
    pending.length > 0 &&
    status !== null &&
    status.lastUpload !== null &&
    status.lastUpload.outcome !== 'ok';
  return (
    <div className="settlement">
      <h2>{t('settlement.title')}</h2>
      {offline && status !== null && (
        <div role="alert" className="banner error">
          <strong>{t('settlement.offlineBanner', { count: pending.length })}</strong>
          {countdown !== null && (
            <p>
              {t('settlement.deadline', {
                left: formatDuration(countdown),
                at: formatDateTime(status.deadline?.at ?? 0, locale),
              })}
            </p>
          )}
          {status.lastUpload !== null && <p>{status.lastUpload.message}</p>}
        </div>
      )}
      {!offline && pending.length > 0 && countdown !== null && status !== null && (
        <p className="banner warn">
          {t('settlement.deadline', {
            left: formatDuration(countdown),
            at: formatDateTime(status.deadline?.at ?? 0, locale),
          })}
        </p>
      )}
      {period !== undefined && (
        <section aria-labelledby="open-period">
          <h3 id="open-period">{t('settlement.openPeriod')}</h3>
          <dl className="facts">
            <Fact label={t('settlement.since')} value={formatDateTime(period.start, locale)} />
            <Fact label={t('settlement.count')} value={String(period.count)} />
            <Fact label={t('settlement.total')} value={money(period.total)} />
            <Fact
              label={t('settlement.voids')}
              value={`${period.voidCount} · ${money(period.voidTotal)}`}
            />
          </dl>
        </section>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => api.call('settlement.close'))}
        >
          {t('settlement.close')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || status?.uploading === true}
          onClick={() => void run(() => api.call('settlement.upload'))}
        >
          {t('settlement.upload', { count: pending.length })}
        </button>
      </div>
      {progress !== null && (
        <div className="progress">
          <label>
            {t('settlement.progress', { done: progress.done, of: progress.of })}
            <progress max={Math.max(progress.of, 1)} value={progress.done} />
          </label>
          <p role="status" aria-live="polite">
            {t(`settlement.progressState.${progress.state}`, { attempt: progress.attempt })}{' '}
            {progress.message}
          </p>
        </div>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h3>{t('settlement.batches')}</h3>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('settlement.batch')}</th>
            <th scope="col">{t('settlement.period')}</th>
            <th scope="col">{t('settlement.count')}</th>
            <th scope="col">{t('settlement.total')}</th>
            <th scope="col">{t('settlement.state')}</th>
            <th scope="col">
              <span className="sr-only">{t('history.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => (
            <tr key={b.batchId} data-state={b.state}>
              <td>
                <code>{b.batchId.slice(0, 8)}</code>
              </td>
              <td>
                {formatDateTime(b.periodStart, locale)} – {formatDateTime(b.periodEnd, locale)}
              </td>
              <td>{b.recordCount}</td>
              <td>{money(b.total)}</td>
              <td>
                {t(`settlement.batchState.${b.state}`)}
                {b.refusal !== null && <span className="muted"> ({b.refusal})</span>}
              </td>
              <td>
                <button type="button" onClick={() => void open(b.batchId)}>
                  {t('settlement.results', { id: b.batchId.slice(0, 8) })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {batches.length === 0 && <p className="muted">{t('settlement.noBatches')}</p>}
      {result !== null && <BatchResult result={result} currency={currency} />}
    </div>
  );
}
