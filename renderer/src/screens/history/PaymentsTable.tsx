// The payments of the history screen (TanStack Table over the page the service returned).
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '../../../../preload/api';
import { formatDateTime, formatMoney } from '../../format/money';

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, PaymentView>();

export interface PaymentsTableProps {
  readonly payments: readonly PaymentView[];
  readonly onOpen: (payment: PaymentView) => void;
}

export function PaymentsTable({ payments, onOpen }: PaymentsTableProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('paymentId', { header: () => t('history.col.id') }),
        helper.accessor('terminalTime', {
          header: () => t('history.col.time'),
          cell: (c) => formatDateTime(c.getValue(), locale),
        }),
        helper.accessor('amount', {
          header: () => t('history.col.amount'),
          cell: (c) => formatMoney(c.getValue(), c.row.original.currency, locale),
        }),
        helper.accessor('status', {
          header: () => t('history.col.status'),
          cell: (c) => t(`history.status.${c.getValue()}`),
        }),
        helper.accessor('walletId', {
          header: () => t('history.col.wallet'),
          cell: (c) => <code>{c.getValue().slice(0, 12)}…</code>,
        }),
        helper.display({
          id: 'open',
          header: () => <span className="sr-only">{t('history.col.actions')}</span>,
          cell: (c) => (
            <button type="button" onClick={() => onOpen(c.row.original)}>
              {t('history.details', { id: c.row.original.paymentId })}
            </button>
          ),
        }),
      ]),
    [t, locale, onOpen],
  );
  const data = useMemo(() => [...payments], [payments]);
  const table = useTable({ features, columns, data });
  return (
    <table className="data">
      <caption className="sr-only">{t('history.caption')}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col">
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} data-status={row.original.status}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
