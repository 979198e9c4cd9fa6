// X and Z reports, sales by hour (one day) and by day (a range) as charts, and the CSV export.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodReport, SalesBucket } from '../../../../preload/api';
import { describeError } from '../../bridge/client';
import { useApi } from '../../bridge/context';
import { currencyInfo } from '../../format/money';
import { selectCurrency } from '../../store/selectors';
import { useTerminal } from '../../store/terminal-store';
import { dayRange } from '../history/filters';
import { downloadText } from './download';
import { ReportView } from './ReportView';
import { SalesChart } from './SalesChart';

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function ReportsScreen() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const currency = useTerminal(selectCurrency);
  const today = isoDay(new Date());
  const [day, setDay] = useState(today);
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 13 * 86_400_000)));
  const [to, setTo] = useState(today);
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [zList, setZList] = useState<readonly PeriodReport[]>([]);
  const [byHour, setByHour] = useState<readonly SalesBucket[]>([]);
  const [byDay, setByDay] = useState<readonly SalesBucket[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(describeError(e));
  const locale = i18n.language;

  useEffect(() => {
    api.call('reports.zList').then(setZList, fail);
  }, [api]);
  useEffect(() => {
    const range = dayRange(day);
    if (range !== undefined)
      api.call('reports.salesByHour', { day: range.from }).then(setByHour, fail);
  }, [api, day]);
  useEffect(() => {
    const start = dayRange(from);
    const end = dayRange(to);
    if (start !== undefined && end !== undefined && start.from <= end.to) {
      api.call('reports.salesByDay', { from: start.from, to: end.to }).then(setByDay, fail);
    }
  }, [api, from, to]);

  const { digits } = currencyInfo(currency);
  const value = useCallback((minor: number) => minor / 10 ** digits, [digits]);
  const hourLabel = useCallback(
    (b: SalesBucket) => new Date(b.start * 1000).toLocaleTimeString(locale, { hour: '2-digit' }),
    [locale],
  );
  const dayLabel = useCallback(
    (b: SalesBucket) => new Date(b.start * 1000).toLocaleDateString(locale),
    [locale],
  );

  const exportCsv = async () => {
    const start = dayRange(from);
    const end = dayRange(to);
    if (start === undefined || end === undefined) return;
    try {
      const csv = await api.call('reports.csv', { from: start.from, to: end.to });
      downloadText(csv.fileName, csv.content, 'text/csv');
    } catch (caught) {
      fail(caught);
    }
  };

  return (
    <div className="reports">
      <h2>{t('reports.title')}</h2>
      <div className="actions">
        <button type="button" onClick={() => void api.call('reports.x').then(setReport, fail)}>
          {t('reports.x')}
        </button>
        <label>
          {t('reports.z')}
          <select
            value=""
            onChange={(e) =>
              void api.call('reports.z', { number: Number(e.target.value) }).then(setReport, fail)
            }
          >
            <option value="">{t('reports.chooseZ', { count: zList.length })}</option>
            {zList.map((z) => (
              <option key={z.number} value={z.number ?? 0}>
                {t('reports.zTitle', { number: z.number ?? 0 })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {report !== null && <ReportView report={report} />}
      <section className="charts">
        <label>
          {t('reports.day')}
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </label>
        <SalesChart
          title={t('reports.byHour')}
          buckets={byHour}
          label={hourLabel}
          value={value}
          valueLabel={t('reports.sales')}
        />
        <div className="filters">
          <label>
            {t('reports.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('reports.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="button" onClick={() => void exportCsv()}>
            {t('reports.csv')}
          </button>
        </div>
        <SalesChart
          title={t('reports.byDay')}
          buckets={byDay}
          label={dayLabel}
          value={value}
          valueLabel={t('reports.sales')}
        />
      </section>
    </div>
  );
}
