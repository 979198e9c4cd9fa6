// The cashier's amount as typed on the keypad or keyboard: an integer of minor units that a
// digit shifts left, Backspace shifts right (undoing the last digit) and Clear empties.
// Pure, so the property tests drive it with any key sequence.

/** The keypad never builds more than this (eight digits): a screen-width cap, not a limit. */
export const MAX_AMOUNT = 99_999_999;

export type AmountKey =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'back' | 'clear';

export function applyAmountKey(amount: number, key: AmountKey, max = MAX_AMOUNT): number {
  switch (key) {
    case 'back':
      return Math.floor(amount / 10);
    case 'clear':
      return 0;
    case '00':
      return applyAmountKey(applyAmountKey(amount, '0', max), '0', max);
    default: {
      const next = amount * 10 + Number(key);
      return next > max ? amount : next;
    }
  }
}

/** The keyboard's keys that edit the amount (Escape and Enter are the cashier screen's). */
export function amountKeyOf(event: { key: string }): AmountKey | undefined {
  if (/^[0-9]$/.test(event.key)) return event.key as AmountKey;
  if (event.key === 'Backspace') return 'back';
  if (event.key === 'Delete') return 'clear';
  return undefined;
}
