// An X (running) or Z (closed, numbered) report's figures.
import { useTranslation } from 'react-i18next';
import type { PeriodReport } from '../../../../preload/api';
import { Fact } from '../../components/Fact';
import { formatDateTime, formatMoney } from '../../format/money';

export function ReportView({ report }: { readonly report: PeriodReport }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const money = (n: number) => formatMoney(n, report.currency, locale);
  const title =
    report.kind === 'X' ? t('reports.xTitle') : t('reports.zTitle', { number: report.number ?? 0 });
  return (
    <section className="report" aria-label={title}>
      <h3>{title}</h3>
      <dl className="facts">
        <Fact
          label={t('reports.period')}
          value={`${formatDateTime(report.periodStart, locale)} – ${formatDateTime(report.periodEnd, locale)}`}
        />
        <Fact label={t('reports.generated')} value={formatDateTime(report.generatedAt, locale)} />
        <Fact label={t('settlement.count')} value={String(report.count)} />
        <Fact label={t('reports.gross')} value={money(report.gross)} />
        <Fact
          label={t('settlement.voids')}
          value={`${report.voidCount} · ${money(report.voidTotal)}`}
        />
        <Fact label={t('reports.net')} value={money(report.net)} />
      </dl>
    </section>
  );
}
