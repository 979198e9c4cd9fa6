// Sync with the platform (hotlist, keys, parameters) and the parameters in force.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { Fact } from '../../components/Fact';
import { currencyInfo, formatDateTime, formatDuration, formatMoney } from '../../format/money';
import { applyEvent } from '../../store/events';
import { selectSync } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';

export function SyncPanel() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const sync = useTerminal(selectSync);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locale = i18n.language;
  const syncNow = async () => {
    setBusy(true);
    setError(null);
    try {
      applyEvent('sync.changed', await api.call('sync.now'));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const p = sync?.parameters ?? null;
  const money = (n: number) => (p === null ? String(n) : formatMoney(n, p.currency, locale));
  return (
    <section aria-labelledby="sync-title">
      <h3 id="sync-title">{t('settings.sync')}</h3>
      {sync !== null && (
        <dl className="facts">
          <Fact
            label={t('settings.lastSync')}
            value={
              sync.lastSyncAt === null
                ? t('settings.never')
                : formatDateTime(sync.lastSyncAt, locale)
            }
          />
          <Fact label={t('settings.lastOutcome')} value={sync.lastOutcome ?? '—'} />
          <Fact
            label={t('settings.hotlist')}
            value={t('settings.hotlistValue', {
              version: sync.hotlist.version,
              entries: sync.hotlist.entries,
              age: sync.hotlist.ageSeconds === null ? '—' : formatDuration(sync.hotlist.ageSeconds),
            })}
          />
          <Fact
            label={t('settings.canTakePayments')}
            value={sync.canTakePayments ? t('common.yes') : (sync.notReadyReason ?? t('common.no'))}
          />
        </dl>
      )}
      <button type="button" disabled={busy} onClick={() => void syncNow()}>
        {t('settings.syncNow')}
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h3>{t('settings.parameters')}</h3>
      {p === null ? (
        <p className="muted">{t('settings.noParameters')}</p>
      ) : (
        <dl className="facts">
          <Fact
            label={t('settings.currency')}
            value={`${currencyInfo(p.currency).code} (${p.currency})`}
          />
          <Fact label={t('settings.limitPerPayment')} value={money(p.limitPerPayment)} />
          <Fact label={t('settings.limitOfflineAmount')} value={money(p.limitOfflineAmount)} />
          <Fact label={t('settings.limitOfflineCount')} value={String(p.limitOfflineCount)} />
          <Fact label={t('settings.freshness')} value={formatDuration(p.freshnessMaxAgeSeconds)} />
          <Fact
            label={t('settings.hotlistMaxAge')}
            value={formatDuration(p.hotlistMaxAgeSeconds)}
          />
          <Fact label={t('settings.period')} value={formatDuration(p.settlement.periodSeconds)} />
          <Fact
            label={t('settings.uploadWithin')}
            value={formatDuration(p.settlement.uploadWithinSeconds)}
          />
        </dl>
      )}
    </section>
  );
}
