// Amounts are integers of minor units; the currency's digits (CURRENCIES) place the point and
// the locale the separators and symbol.
import { CURRENCIES } from '../../../preload/contract/currencies';

export function currencyInfo(numeric: number): { code: string; digits: number } {
  return CURRENCIES[numeric] ?? { code: 'XXX', digits: 2 };
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, numeric: number): Intl.NumberFormat {
  const key = `${locale}|${numeric}`;
  let found = formatters.get(key);
  if (found === undefined) {
    const { code, digits } = currencyInfo(numeric);
    found = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, found);
  }
  return found;
}

export function formatMoney(minor: number, numeric: number, locale: string): string {
  const { digits } = currencyInfo(numeric);
  return formatter(locale, numeric).format(minor / 10 ** digits);
}

export function formatDateTime(unixSeconds: number, locale: string): string {
  return new Date(unixSeconds * 1000).toLocaleString(locale);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return days > 0 ? `${days}d ${hms}` : hms;
}
