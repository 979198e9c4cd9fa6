/**
 * The currencies a terminal may be set up for (ISO 4217 numeric code → alphabetic code and
 * minor-unit digits). The contract refuses any other code, and the screens format amounts
 * with the digits given here: an amount is always an integer of minor units.
 */
export interface CurrencyInfo {
  readonly code: string;
  readonly digits: number;
}

export const CURRENCIES: Readonly<Record<number, CurrencyInfo>> = {
  36: { code: 'AUD', digits: 2 },
  124: { code: 'CAD', digits: 2 },
  156: { code: 'CNY', digits: 2 },
  344: { code: 'HKD', digits: 2 },
  392: { code: 'JPY', digits: 0 },
  410: { code: 'KRW', digits: 0 },
  446: { code: 'MOP', digits: 2 },
  702: { code: 'SGD', digits: 2 },
  756: { code: 'CHF', digits: 2 },
  826: { code: 'GBP', digits: 2 },
  840: { code: 'USD', digits: 2 },
  901: { code: 'TWD', digits: 2 },
  978: { code: 'EUR', digits: 2 },
};

export function isKnownCurrency(numeric: number): boolean {
  return Object.hasOwn(CURRENCIES, numeric);
}
