/** Amounts in integer minor units, formatted with the currency's ISO 4217 exponent. */

/** Numeric codes whose minor unit is not 2 digits (ISO 4217); every other currency has 2. */
const EXPONENTS: ReadonlyMap<number, number> = new Map([
  [48, 3], // BHD
  [152, 0], // CLP
  [352, 0], // ISK
  [368, 3], // IQD
  [392, 0], // JPY
  [400, 3], // JOD
  [410, 0], // KRW
  [414, 3], // KWD
  [434, 3], // LYD
  [512, 3], // OMR
  [704, 0], // VND
  [788, 3], // TND
  [950, 0], // XAF
  [952, 0], // XOF
  [990, 4], // CLF
]);

export function minorUnitExponent(currency: number): number {
  return EXPONENTS.get(currency) ?? 2;
}

/** 1234 in EUR → "12.34"; 5 in EUR → "0.05"; negative amounts keep their sign. */
export function formatAmount(minor: number, currency: number): string {
  const exponent = minorUnitExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
