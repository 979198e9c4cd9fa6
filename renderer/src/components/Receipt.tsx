// A payment's receipt, marked "offline" (every Tapsafe payment is taken offline). Printing
// uses the print stylesheet (only .receipt shows); the PDF is built by jsPDF, loaded on demand,
// in the screen's language (receipt-pdf.ts draws what jsPDF's fonts cannot as an image).
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '../../../preload/api';
import { formatDateTime, formatMoney } from '../format/money';
import { useTerminal } from '../store/terminal-store';
import { selectInfo } from '../store/selectors';

export function Receipt({ payment }: { readonly payment: PaymentView }) {
  const { t, i18n } = useTranslation();
  const info = useTerminal(selectInfo);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const receiptRef = useRef<HTMLElement>(null);
  const locale = i18n.language;
  const rows: [string, string][] = [
    [t('receipt.amount'), formatMoney(payment.amount, payment.currency, locale)],
    [t('receipt.time'), formatDateTime(payment.terminalTime, locale)],
    [t('receipt.payment'), String(payment.paymentId)],
    [t('receipt.wallet'), payment.walletId],
    [t('receipt.counter'), String(payment.counter)],
    [t('receipt.balanceAfter'), formatMoney(payment.balanceAfter, payment.currency, locale)],
    [t('receipt.merchant'), info?.merchantId ?? '-'],
    [t('receipt.terminal'), info?.terminalId ?? '-'],
  ];

  const savePdf = async () => {
    setPdfError(null);
    const element = receiptRef.current;
    if (element === null) return;
    try {
      const { saveReceiptPdf } = await import('./receipt-pdf');
      const receipt = {
        title: t('receipt.title'),
        offline: t('receipt.offline'),
        rows,
        fileName: `receipt-${payment.paymentId}.pdf`,
      };
      await saveReceiptPdf(receipt, element);
    } catch (error) {
      setPdfError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <section ref={receiptRef} className="receipt" aria-labelledby="receipt-title">
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
