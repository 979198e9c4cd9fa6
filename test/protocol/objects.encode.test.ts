/** Encoders refuse invalid values with bad_value naming the field, and throw nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Hotlist,
  MAX_BATCH_RECORDS,
  MAX_HOTLIST_ENTRIES,
  MAX_HOTLIST_NOTICES,
  Notification,
  PaymentRecord,
  SettlementBatch,
  SettlementResult,
  type Signed,
} from '../../protocol';
import { hex, plain } from './support/bytes';
import { attempt, expectProtocolError } from './support/errors';
import { keys } from './support/keys';
import { batch, hotlist, mainSamples, notification, record, result } from './support/samples';

/** Values no field of the sample's kind accepts in place of `current`. */
function invalidFor(current: unknown): unknown[] {
  const common = [undefined, null, {}, true];
  if (typeof current === 'number') return [...common, -1, 2 ** 53, 1.5, NaN, Infinity, '5', 5n];
  if (current instanceof Uint8Array) {
    return [...common, current.subarray(1), new Uint8Array(current.length + 1), [...current], 'aa'];
  }
  if (typeof current === 'string')
    return [...common, '', 'has space', 'é', 'x'.repeat(40), 12_345, ['M-0001']];
  if (Array.isArray(current)) return [null, 'list', {}, 3];
  throw new Error(`no invalid values for ${String(current)}`);
}

describe.each(mainSamples.map((c) => [c.label, c] as const))('%s', (_, { type, value, signer }) => {
  const fields = Object.entries(value as Record<string, unknown>);

  it.each(fields.map(([field, current]) => [field, current] as const))(
    'refuses invalid %s',
    (field, current) => {
      for (const bad of invalidFor(current)) {
        const broken = { ...(value as object), [field]: bad };
        expectProtocolError(() => type.encodeBody(broken), 'bad_value', `${type.name}.${field}`);
        expectProtocolError(() => type.sign(broken, signer), 'bad_value', `${type.name}.${field}`);
      }
    },
  );

  it.each([null, undefined, 5, 'record'])('refuses %s as the whole value', (bad) => {
    expectProtocolError(() => type.encodeBody(bad), 'bad_value', type.name);
  });

  it('any junk in any one field: bad_value for that field, or a value that round-trips', () => {
    const names = fields.map(([field]) => field);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.anything(), (field, junk) => {
        const broken = { ...(value as object), [field]: junk };
        const outcome = attempt(() => type.encodeBody(broken));
        if (outcome.ok) {
          const normal = Object.is(junk, -0) ? { ...broken, [field]: 0 } : broken;
          expect(plain(type.decodeBody(outcome.value))).toEqual(plain(normal));
        } else {
          expect(outcome.error).toMatchObject({ code: 'bad_value' });
          expect(
            (outcome.error as { field: string }).field.startsWith(`${type.name}.${field}`),
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('specific refusals', () => {
  it.each([
    ['a negative amount', { amount: -1 }, 'amount'],
    ['2^53 as amount', { amount: 2 ** 53 }, 'amount'],
    ['a fractional amount', { amount: 12.5 }, 'amount'],
    ['currency 1000', { currency: 1000 }, 'currency'],
    ['offline count 65536', { offlineCount: 65_536 }, 'offlineCount'],
    ['a 15-byte walletId', { walletId: new Uint8Array(15) }, 'walletId'],
    ['a 17-byte walletId', { walletId: new Uint8Array(17) }, 'walletId'],
    ['a missing nonce', { nonce: undefined }, 'nonce'],
    ['a merchant id with a space', { merchantId: 'M 0001' }, 'merchantId'],
    ['a merchant id that is a number', { merchantId: 1 }, 'merchantId'],
  ])('payment record with %s', (_, change, field) => {
    expectProtocolError(
      () => PaymentRecord.encodeBody({ ...record, ...change } as never),
      'bad_value',
      `payment-record.${field}`,
    );
  });

  it('unknown enum names', () => {
    const type = 'explode' as 'lock';
    expectProtocolError(
      () => Notification.encodeBody({ ...notification, notificationType: type }),
      'bad_value',
      'notification.notificationType',
    );
    expectProtocolError(
      () => Hotlist.encodeBody({ ...hotlist, kind: 'partial' as 'full' }),
      'bad_value',
      'hotlist.kind',
    );
    const entries = [hotlist.entries[0], { ...hotlist.entries[1], reason: 'bored' }];
    expectProtocolError(
      () => Hotlist.encodeBody({ ...hotlist, entries } as never),
      'bad_value',
      'hotlist.entries[1].reason',
    );
    const results = [{ ...result.results[0], status: 'maybe' }];
    expectProtocolError(
      () => SettlementResult.encodeBody({ ...result, results } as never),
      'bad_value',
      'settlement-result.results[0].status',
    );
  });

  it('a bad field inside a list item', () => {
    const voids = [{ ...batch.voids[0], counter: -3 }];
    expectProtocolError(
      () => SettlementBatch.encodeBody({ ...batch, voids } as never),
      'bad_value',
      'settlement-batch.voids[0].counter',
    );
  });

  it('too many list items', () => {
    const over = <T>(item: T, max: number): T[] => new Array<T>(max + 1).fill(item);
    const notice = hotlist.notices[0] as Signed<Notification>;
    expectProtocolError(
      () => Hotlist.encodeBody({ ...hotlist, notices: over(notice, MAX_HOTLIST_NOTICES) }),
      'bad_value',
      'hotlist.notices',
    );
    expectProtocolError(
      () =>
        Hotlist.encodeBody({
          ...hotlist,
          entries: over(hotlist.entries[0] as never, MAX_HOTLIST_ENTRIES),
        }),
      'bad_value',
      'hotlist.entries',
    );
    const oneRecord = batch.records[0] as Signed<PaymentRecord>;
    expectProtocolError(
      () => SettlementBatch.encodeBody({ ...batch, records: over(oneRecord, MAX_BATCH_RECORDS) }),
      'bad_value',
      'settlement-batch.records',
    );
    expectProtocolError(
      () =>
        SettlementResult.encodeBody({
          ...result,
          results: over(result.results[0] as never, 2 * MAX_BATCH_RECORDS),
        }),
      'bad_value',
      'settlement-result.results',
    );
  });

  it('nested signed objects must be valid envelopes of the right kind', () => {
    const notice = hotlist.notices[0] as Signed<Notification>;
    const signedRecord = PaymentRecord.sign(record, keys.wallet);
    const bad: [string, unknown][] = [
      ['an empty object', {}],
      ['a bare value', notification],
      ['a payment record', signedRecord],
      ['garbage bytes', { ...notice, encoded: hex('0102') }],
      ['its body alone', { ...notice, encoded: notice.body }],
      ['a truncated envelope', { ...notice, encoded: notice.encoded.subarray(0, -1) }],
    ];
    const outcomes = bad.map(([what, item]) => {
      const outcome = attempt(() =>
        Hotlist.encodeBody({ ...hotlist, notices: [notice, item as never] }),
      );
      return [what, outcome.ok ? 'encoded' : (outcome.error as { code: string }).code];
    });
    expect(outcomes).toEqual(bad.map(([what]) => [what, 'bad_value']));
    expectProtocolError(
      () => Hotlist.encodeBody({ ...hotlist, notices: [signedRecord as never] }),
      'bad_value',
      'hotlist.notices[0]',
    );
    const records = [signedRecord, Notification.sign(notification, keys.issuer)];
    expectProtocolError(
      () => SettlementBatch.encodeBody({ ...batch, records } as never),
      'bad_value',
      'settlement-batch.records[1]',
    );
  });
});
