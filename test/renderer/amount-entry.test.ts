import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountKeyOf,
  applyAmountKey,
  MAX_AMOUNT,
  type AmountKey,
} from '../../renderer/src/components/amount-entry';

const digit = fc.constantFrom<AmountKey>('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
const anyKey = fc.oneof(digit, fc.constantFrom<AmountKey>('00', 'back', 'clear'));

describe('amount entry (keypad and keyboard)', () => {
  it('builds minor units digit by digit', () => {
    const keys: AmountKey[] = ['1', '2', '5', '0'];
    expect(keys.reduce((amount, key) => applyAmountKey(amount, key), 0)).toBe(1250);
    expect(applyAmountKey(12, '00')).toBe(1200);
  });

  it('any key sequence gives a non-negative integer never above the maximum', () => {
    fc.assert(
      fc.property(
        fc.array(anyKey, { maxLength: 40 }),
        fc.integer({ min: 1, max: MAX_AMOUNT }),
        (keys, max) => {
          let amount = 0;
          for (const key of keys) {
            amount = applyAmountKey(amount, key, max);
            expect(Number.isSafeInteger(amount)).toBe(true);
            expect(amount).toBeGreaterThanOrEqual(0);
            expect(amount).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('Backspace undoes an accepted digit', () => {
    fc.assert(
      fc.property(fc.array(anyKey, { maxLength: 20 }), digit, (keys, last) => {
        const before = keys.reduce((amount, key) => applyAmountKey(amount, key), 0);
        const after = applyAmountKey(before, last);
        if (after !== before) expect(applyAmountKey(after, 'back')).toBe(before);
      }),
    );
  });

  it('a digit that would pass the maximum is refused, and Clear empties', () => {
    expect(applyAmountKey(MAX_AMOUNT, '9')).toBe(MAX_AMOUNT);
    expect(applyAmountKey(999, '9', 1000)).toBe(999);
    fc.assert(fc.property(fc.nat(MAX_AMOUNT), (amount) => applyAmountKey(amount, 'clear') === 0));
  });

  it('maps keyboard keys: digits, Backspace, Delete; nothing else', () => {
    expect(amountKeyOf({ key: '7' })).toBe('7');
    expect(amountKeyOf({ key: 'Backspace' })).toBe('back');
    expect(amountKeyOf({ key: 'Delete' })).toBe('clear');
    expect(amountKeyOf({ key: 'Enter' })).toBeUndefined();
    expect(amountKeyOf({ key: 'a' })).toBeUndefined();
    expect(amountKeyOf({ key: '12' })).toBeUndefined();
  });
});
