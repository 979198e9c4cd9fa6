/**
 * Hand-built envelopes and nested objects: the F0 wrapper, the DF7F signature, and errors
 * deep inside hotlists and batches, each named by its full dotted path.
 */
import { describe, expect, it } from 'vitest';
import {
  Hotlist,
  MAX_BATCH_RECORDS,
  Notification,
  PaymentRecord,
  SettlementBatch,
  SettlementResult,
  type ProtocolErrorCode,
} from '../../protocol';
import { concat, hex, lengthBytes, splitTlvs, tlv, tlvOf, toHex, uintBytes } from './support/bytes';
import { expectProtocolError } from './support/errors';
import { keys } from './support/keys';
import { batch, hotlist, notification, record, result } from './support/samples';

/** `body` with its top-level field tagged `tag` replaced by `replacement` (hex or bytes). */
function editBody(body: Uint8Array, tag: string, replacement: Uint8Array | string): Uint8Array {
  const [outer] = splitTlvs(body);
  if (!outer) throw new Error('not a TLV');
  const fields = splitTlvs(outer.value);
  const index = fields.findIndex((f) => toHex(f.tag) === tag.toLowerCase());
  expect(index).toBeGreaterThanOrEqual(0);
  const parts = fields.map((f) => f.whole);
  parts[index] = typeof replacement === 'string' ? hex(replacement) : replacement;
  return tlvOf(toHex(outer.tag), ...parts);
}

const sig = new Uint8Array(64).fill(0x5a);

describe('the envelope', () => {
  const signed = PaymentRecord.sign(record, keys.wallet);
  const body = signed.body;
  const envelope = (...parts: Uint8Array[]) => tlvOf('F0', ...parts);

  it('is F0 { body, DF7F 40 r||s }, built by hand', () => {
    const bytes = envelope(body, tlv('DF7F', signed.signature));
    expect(toHex(bytes)).toBe(toHex(signed.encoded));
    expect(toHex(PaymentRecord.open(bytes, keys.wallet.publicKey).body)).toBe(toHex(body));
  });

  const cases: [string, () => Uint8Array, ProtocolErrorCode, string][] = [
    [
      'tag F1',
      () => concat(hex('f1'), envelope(body, tlv('DF7F', sig)).subarray(1)),
      'bad_tag',
      '',
    ],
    ['tag E4 (a bare body)', () => body, 'bad_tag', ''],
    ['tag 30', () => tlvOf('30', body, tlv('DF7F', sig)), 'bad_tag', ''],
    [
      'a signature of 63 bytes',
      () => envelope(body, tlv('DF7F', sig.subarray(1))),
      'bad_value',
      '.signature',
    ],
    [
      'a signature of 65 bytes',
      () => envelope(body, tlv('DF7F', concat(sig, hex('00')))),
      'bad_value',
      '.signature',
    ],
    ['an empty signature', () => envelope(body, tlv('DF7F', '')), 'bad_value', '.signature'],
    [
      'the signature under tag DF7E',
      () => envelope(body, tlv('DF7E', sig)),
      'bad_tag',
      '.signature',
    ],
    ['no signature', () => envelope(body), 'truncated', '.signature'],
    ['two bodies', () => envelope(body, body, tlv('DF7F', sig)), 'bad_tag', '.signature'],
    [
      'two signatures',
      () => envelope(body, tlv('DF7F', sig), tlv('DF7F', sig)),
      'trailing_bytes',
      '',
    ],
    [
      'a byte after the signature',
      () => envelope(body, tlv('DF7F', sig), hex('00')),
      'trailing_bytes',
      '',
    ],
    ['signature first', () => envelope(tlv('DF7F', sig), body), 'bad_tag', ''],
    ['nothing inside', () => envelope(), 'truncated', ''],
    [
      'a non-minimal envelope length',
      () => {
        const content = concat(body, tlv('DF7F', sig));
        expect(content.length).toBeLessThan(0x100);
        return concat(hex('f0 82 00'), Uint8Array.of(content.length), content);
      },
      'non_minimal_length',
      '',
    ],
    [
      'a 4-byte envelope length',
      () => concat(hex('f0 84 00 00 00 01'), hex('00')),
      'length_too_large',
      '',
    ],
    [
      'an indefinite envelope length',
      () => concat(hex('f0 80'), body, tlv('DF7F', sig), hex('0000')),
      'non_minimal_length',
      '',
    ],
  ];

  it.each(cases)('refuses %s', (_, build, code, path) => {
    expectProtocolError(() => PaymentRecord.decode(build()), code, `payment-record${path}`);
    expectProtocolError(
      () => PaymentRecord.open(build(), keys.wallet.publicKey),
      code,
      `payment-record${path}`,
    );
  });

  it('parses a well-formed envelope with a wrong signature, and open refuses it', () => {
    const bytes = envelope(body, tlv('DF7F', sig));
    expect(toHex(PaymentRecord.decode(bytes).signature)).toBe(toHex(sig));
    expectProtocolError(
      () => PaymentRecord.open(bytes, keys.wallet.publicKey),
      'bad_signature',
      'payment-record.signature',
    );
  });

  it('refuses a signer key that is not a compressed P-256 point, naming the object', () => {
    const bad = concat(hex('04'), keys.wallet.publicKey.subarray(1));
    expectProtocolError(
      () => PaymentRecord.open(signed.encoded, bad),
      'bad_key',
      'payment-record.signer',
    );
    expectProtocolError(
      () => PaymentRecord.open(signed.encoded, keys.wallet.publicKey.subarray(1)),
      'bad_key',
      'payment-record.signer',
    );
  });
});

describe('errors inside nested objects carry the full path', () => {
  const hotlistBody = Hotlist.encodeBody(hotlist);
  const notice = Notification.sign(notification, keys.issuer);
  const entry = (reason: string) =>
    tlvOf(
      'FF02',
      tlv('DF03', hotlist.entries[0]?.walletId ?? ''),
      tlv('DF1D', reason),
      tlv('DF1E', '01'),
    );

  it.each([
    ['reason 00', '00'],
    ['reason 06 (one past the last)', '06'],
    ['a 2-byte reason', '0001'],
  ])('hotlist entry with %s', (_, reason) => {
    const body = editBody(hotlistBody, 'FF01', tlvOf('FF01', entry('01'), entry(reason)));
    expectProtocolError(() => Hotlist.decodeBody(body), 'bad_value', 'hotlist.entries[1].reason');
  });

  it('hotlist kind and notification type out of range', () => {
    expectProtocolError(
      () => Hotlist.decodeBody(editBody(hotlistBody, 'DF1B', 'df1b 01 03')),
      'bad_value',
      'hotlist.kind',
    );
    const notificationBody = Notification.encodeBody(notification);
    for (const code of ['00', '09', 'ff']) {
      const body = editBody(notificationBody, 'DF1F', `df1f 01 ${code}`);
      expectProtocolError(
        () => Notification.decodeBody(body),
        'bad_value',
        'notification.notificationType',
      );
    }
    expect(
      Notification.decodeBody(editBody(notificationBody, 'DF1F', 'df1f 01 08')).notificationType,
    ).toBe('suspend_terminal');
  });

  it('hotlist notice with a short signature, or holding another object', () => {
    const shortSig = tlvOf('F0', notice.body, tlv('DF7F', sig.subarray(2)));
    const body = editBody(hotlistBody, 'FF03', tlvOf('FF03', notice.encoded, shortSig));
    expectProtocolError(
      () => Hotlist.decodeBody(body),
      'bad_value',
      'hotlist.notices[1].signature',
    );
    const recordInside = editBody(
      hotlistBody,
      'FF03',
      tlvOf('FF03', PaymentRecord.sign(record, keys.wallet).encoded),
    );
    expectProtocolError(() => Hotlist.decodeBody(recordInside), 'bad_tag', 'hotlist.notices[0]');
    const bareBody = editBody(hotlistBody, 'FF03', tlvOf('FF03', notice.body));
    expectProtocolError(() => Hotlist.decodeBody(bareBody), 'bad_tag', 'hotlist.notices[0]');
  });

  it('a batch record with a leading-zero amount', () => {
    const recordBody = editBody(
      PaymentRecord.encodeBody(record),
      'DF10',
      tlv('DF10', concat(hex('00'), uintBytes(record.amount))),
    );
    const records = tlvOf(
      'FF04',
      batch.records[0]?.encoded ?? hex(''),
      tlvOf('F0', recordBody, tlv('DF7F', sig)),
    );
    const body = editBody(SettlementBatch.encodeBody(batch), 'FF04', records);
    expectProtocolError(
      () => SettlementBatch.decodeBody(body),
      'bad_value',
      'settlement-batch.records[1].amount',
    );
  });

  it('a batch whose record list holds a void entry', () => {
    const voids = splitTlvs(SettlementBatch.encodeBody(batch))[0]?.value ?? hex('');
    const voidEntry = splitTlvs(
      splitTlvs(voids).find((f) => toHex(f.tag) === 'ff05')?.value ?? hex(''),
    )[0];
    const body = editBody(
      SettlementBatch.encodeBody(batch),
      'FF04',
      tlvOf('FF04', voidEntry?.whole ?? hex('')),
    );
    expectProtocolError(
      () => SettlementBatch.decodeBody(body),
      'bad_tag',
      'settlement-batch.records[0]',
    );
  });

  it(`a settlement result with more than ${2 * MAX_BATCH_RECORDS} entries (0x83 lengths)`, () => {
    const one = tlvOf(
      'FF08',
      tlv('DF03', new Uint8Array(16)),
      tlv('DF0F', '01'),
      tlv('DF29', '01'),
      tlv('DF2A', '01'),
    );
    const max = 2 * MAX_BATCH_RECORDS;
    const many = (count: number) => {
      const content = new Uint8Array(one.length * count);
      for (let i = 0; i < count; i++) content.set(one, i * one.length);
      return concat(hex('ff07'), lengthBytes(content.length), content);
    };
    const base = SettlementResult.encodeBody(result);
    expect(many(max)[2]).toBe(0x83);
    expect(SettlementResult.decodeBody(editBody(base, 'FF07', many(max))).results).toHaveLength(
      max,
    );
    expectProtocolError(
      () => SettlementResult.decodeBody(editBody(base, 'FF07', many(max + 1))),
      'bad_value',
      `settlement-result.results[${max}]`,
    );
  });
});
