// A payment's receipt, marked "offline" (every Tapsafe payment is taken offline). Printing
// uses the print stylesheet (only .receipt shows); the PDF is built by jsPDF, loaded on demand.
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '../../../preload/api';
import { formatDateTime, formatMoney } from '../format/money';
import { useTerminal } from '../store/terminal-store';
import { selectInfo } from '../store/selectors';

export function Receipt({ payment }: { readonly payment: PaymentView }) {
  const { t, i18n } = useTranslation();
  const info = useTerminal(selectInfo);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const rowsIn = (tr: TFunction, locale: string): [string, string][] => [
    [tr('receipt.amount'), formatMoney(payment.amount, payment.currency, locale)],
    [tr('receipt.time'), formatDateTime(payment.terminalTime, locale)],
    [tr('receipt.payment'), String(payment.paymentId)],
    [tr('receipt.wallet'), payment.walletId],
    [tr('receipt.counter'), String(payment.counter)],
    [tr('receipt.balanceAfter'), formatMoney(payment.balanceAfter, payment.currency, locale)],
    [tr('receipt.merchant'), info?.merchantId ?? '-'],
    [tr('receipt.terminal'), info?.terminalId ?? '-'],
  ];
  const rows = rowsIn(t, i18n.language);

  const savePdf = async () => {
    setPdfError(null);
    try {
      const { saveReceiptPdf } = await import('./receipt-pdf');
      // jsPDF's built-in fonts are Latin-only; a CJK font would add megabytes: English PDF.
      const english = i18n.getFixedT('en');
      await saveReceiptPdf({
        title: english('receipt.title'),
        offline: english('receipt.offline'),
        rows: rowsIn(english, 'en'),
        fileName: `receipt-${payment.paymentId}.pdf`,
      });
    } catch (error) {
      setPdfError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h3 id="receipt-title">{t('receipt.title')}</h3>
      <p className="offline-mark">{t('receipt.offline')}</p>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
        <button type="button" onClick={() => void savePdf()}>
          {t('receipt.pdf')}
        </button>
      </div>
      {pdfError !== null && <p role="alert">{t('receipt.pdfFailed', { error: pdfError })}</p>}
    </section>
  );
}
