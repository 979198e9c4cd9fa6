// The payments taken: filter by day, status and wallet, search the page shown, open one for
// its details and verification steps, void it before settlement.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentsPage, PaymentView } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { selectPaymentsRevision } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { listParams, PAGE_SIZE, PAYMENT_STATUSES, type HistoryFilters } from './filters';
import { PaymentDetails } from './PaymentDetails';
import { PaymentsTable } from './PaymentsTable';

export function HistoryScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const revision = useTerminal(selectPaymentsRevision);
  const [filters, setFilters] = useState<HistoryFilters>({ day: '', status: '', wallet: '' });
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<PaymentsPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    let current = true;
    api.call('payments.list', listParams(filters, page)).then(
      (r) => current && (setResult(r), setError(null)),
      (e: unknown) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [api, filters, page, revision]);

  const change = (patch: Partial<HistoryFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(0);
  };
  const onOpen = useCallback((p: PaymentView) => setOpen(p.paymentId), []);
  const needle = search.trim().toLowerCase();
  const shown = useMemo(
    () =>
      (result?.payments ?? []).filter(
        (p) => needle === '' || String(p.paymentId) === needle || p.walletId.includes(needle),
      ),
    [result, needle],
  );
  const pages = Math.max(1, Math.ceil((result?.total ?? 0) / PAGE_SIZE));

  return (
    <div className="history">
      <h2>{t('history.title')}</h2>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('history.search')}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          {t('history.day')}
          <input
            type="date"
            value={filters.day}
            onChange={(e) => change({ day: e.target.value })}
          />
        </label>
        <label>
          {t('history.col.status')}
          <select
            value={filters.status}
            onChange={(e) => change({ status: e.target.value as HistoryFilters['status'] })}
          >
            <option value="">{t('history.anyStatus')}</option>
            {PAYMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`history.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('history.walletFilter')}
          <input
            value={filters.wallet}
            placeholder={t('history.walletPlaceholder')}
            spellCheck={false}
            onChange={(e) => change({ wallet: e.target.value })}
          />
        </label>
      </form>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p role="status" className="muted">
        {t('history.count', { count: result?.total ?? 0 })}
      </p>
      <PaymentsTable payments={shown} onOpen={onOpen} />
      <nav className="pager" aria-label={t('history.pages')}>
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t('common.previous')}
        </button>
        <span>{t('history.page', { page: page + 1, pages })}</span>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          {t('common.next')}
        </button>
      </nav>
      {open !== null && <PaymentDetails paymentId={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
