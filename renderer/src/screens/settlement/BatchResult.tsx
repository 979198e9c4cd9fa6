// One batch's outcome at the platform: each record's verdict and the discrepancies.
import { useTranslation } from 'react-i18next';
import type { BatchResultView, SettlementEntryView } from '../../../../preload/api';
import { formatMoney } from '../../format/money';

export function BatchResult({ result, currency }: { result: BatchResultView; currency: number }) {
  const { t, i18n } = useTranslation();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  return (
    <section aria-labelledby="batch-result-title">
      <h3 id="batch-result-title">
        {t('settlement.resultTitle', { id: result.batch.batchId.slice(0, 8) })}
      </h3>
      <p>
        {t('settlement.credited', {
          credited: money(result.totalCredited),
          expected: money(result.expectedCredit),
        })}
      </p>
      {result.discrepancies.length > 0 ? (
        <div role="alert" className="banner warn">
          {t('settlement.discrepancies', { count: result.discrepancies.length })}
        </div>
      ) : (
        <p className="ok">{t('settlement.noDiscrepancies')}</p>
      )}
      <EntryTable entries={result.entries} money={money} caption={t('settlement.entries')} />
      {result.discrepancies.length > 0 && (
        <EntryTable
          entries={result.discrepancies}
          money={money}
          caption={t('settlement.discrepancyList')}
        />
      )}
    </section>
  );
}

function EntryTable(props: {
  entries: readonly SettlementEntryView[];
  money: (n: number) => string;
  caption: string;
}) {
  const { t } = useTranslation();
  return (
    <table className="data">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('settlement.kind')}</th>
          <th scope="col">{t('history.col.wallet')}</th>
          <th scope="col">{t('receipt.counter')}</th>
          <th scope="col">{t('history.col.amount')}</th>
          <th scope="col">{t('history.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr key={`${e.kind}-${e.walletId}-${e.counter}`} data-status={e.status}>
            <td>{t(`settlement.entryKind.${e.kind}`)}</td>
            <td>
              <code>{e.walletId.slice(0, 12)}…</code>
            </td>
            <td>{e.counter}</td>
            <td>{props.money(e.amount)}</td>
            <td>
              {e.status}
              {e.reason !== '' && <span className="muted"> ({e.reason})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
