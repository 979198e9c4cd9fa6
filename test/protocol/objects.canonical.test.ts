/**
 * Canonicality, by hand-built bytes: the wire layout of a payment record written from the
 * spec, then one non-canonical variant at a time, each refused with the right code and
 * the dotted path of the field at fault.
 */
import { describe, expect, it } from 'vitest';
import {
  FreshnessToken,
  Hotlist,
  Notification,
  PaymentRecord,
  PaymentRequest,
  SettlementBatch,
  SettlementResult,
  TerminalCertificate,
  IssuerKeyAnnouncement,
  WalletCertificate,
  type ProtocolErrorCode,
} from '../../protocol';
import {
  ascii,
  concat,
  hex,
  plain,
  splitTlvs,
  tlv,
  tlvOf,
  toHex,
  uintBytes,
} from './support/bytes';
import { expectProtocolError } from './support/errors';
import { mainSamples, record } from './support/samples';

/** The record sample, field by field, as the spec lays it out: [name, tag, value]. */
const recordFields: [string, string, Uint8Array][] = [
  ['walletId', 'DF03', record.walletId],
  ['counter', 'DF0F', uintBytes(record.counter)],
  ['amount', 'DF10', uintBytes(record.amount)],
  ['currency', 'DF11', uintBytes(record.currency)],
  ['merchantId', 'DF12', ascii(record.merchantId)],
  ['terminalId', 'DF13', ascii(record.terminalId)],
  ['terminalTime', 'DF14', uintBytes(record.terminalTime)],
  ['nonce', 'DF15', record.nonce],
  ['balanceAfter', 'DF16', uintBytes(record.balanceAfter)],
  ['offlineCount', 'DF17', uintBytes(record.offlineCount)],
  ['offlineAmount', 'DF18', uintBytes(record.offlineAmount)],
];
const tlvHex = (tag: string, text: string): string => toHex(tlv(tag, ascii(text)));
const fieldTlvs = (): Map<string, Uint8Array> =>
  new Map(recordFields.map(([name, tag, value]) => [name, tlv(tag, value)]));
const recordBody = (fields: Iterable<Uint8Array>): Uint8Array => tlvOf('E4', ...fields);

/** The record body with field `name` replaced by the raw bytes `raw` (hex). */
const withField = (name: string, raw: string): Uint8Array => {
  const fields = fieldTlvs();
  expect(fields.has(name)).toBe(true);
  fields.set(name, hex(raw));
  return recordBody(fields.values());
};

describe('payment record layout', () => {
  it('encodes exactly as the hand-built bytes, which decode back to the sample', () => {
    const body = recordBody(fieldTlvs().values());
    expect(toHex(PaymentRecord.encodeBody(record))).toBe(toHex(body));
    expect(plain(PaymentRecord.decodeBody(body))).toEqual(plain(record));
  });

  it('accepts each field at its limits', () => {
    const body = (name: string, raw: string) => PaymentRecord.decodeBody(withField(name, raw));
    expect(body('amount', 'df10 07 1fffffffffffff').amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(body('amount', 'df10 01 00').amount).toBe(0);
    expect(body('currency', 'df11 02 03e7').currency).toBe(999);
    expect(body('offlineCount', 'df17 02 ffff').offlineCount).toBe(65_535);
    expect(body('merchantId', tlvHex('DF12', 'm'.repeat(32))).merchantId).toBe('m'.repeat(32));
    expect(body('merchantId', tlvHex('DF12', 'a.Z_9-')).merchantId).toBe('a.Z_9-');
  });
});

describe('payment record: each non-canonical form is refused', () => {
  const cases: [string, string, string, ProtocolErrorCode, string][] = [
    // [description, field replaced, raw TLV, code, field path]
    ['length 81 02', 'amount', 'df10 81 02 04e2', 'non_minimal_length', 'amount'],
    ['length 82 00 02', 'amount', 'df10 82 0002 04e2', 'non_minimal_length', 'amount'],
    ['length 83 00 00 02', 'amount', 'df10 83 000002 04e2', 'non_minimal_length', 'amount'],
    ['indefinite length 80', 'amount', 'df10 80 04e2 0000', 'non_minimal_length', 'amount'],
    ['length 84 …', 'amount', 'df10 84 00000002 04e2', 'length_too_large', 'amount'],
    ['integer with a leading zero', 'amount', 'df10 03 0004e2', 'bad_value', 'amount'],
    ['zero as 00 00', 'amount', 'df10 02 0000', 'bad_value', 'amount'],
    ['empty integer', 'amount', 'df10 00', 'bad_value', 'amount'],
    ['8-byte integer', 'amount', 'df10 08 0100000000000000', 'bad_value', 'amount'],
    ['2^53', 'amount', 'df10 07 20000000000000', 'bad_value', 'amount'],
    ['currency 1000', 'currency', 'df11 02 03e8', 'bad_value', 'currency'],
    ['offline count 65536', 'offlineCount', 'df17 03 010000', 'bad_value', 'offlineCount'],
    ['merchant id with a space', 'merchantId', tlvHex('DF12', 'M 0001'), 'bad_value', 'merchantId'],
    ['merchant id in UTF-8 é', 'merchantId', 'df12 03 4dc3a9', 'bad_value', 'merchantId'],
    ['merchant id in Latin-1 é', 'merchantId', 'df12 02 4de9', 'bad_value', 'merchantId'],
    [
      'merchant id of 33 chars',
      'merchantId',
      tlvHex('DF12', 'M'.repeat(33)),
      'bad_value',
      'merchantId',
    ],
    ['empty merchant id', 'merchantId', 'df12 00', 'bad_value', 'merchantId'],
    ['nonce of 15 bytes', 'nonce', `df15 0f ${'00'.repeat(15)}`, 'bad_value', 'nonce'],
    ['nonce of 17 bytes', 'nonce', `df15 11 ${'00'.repeat(17)}`, 'bad_value', 'nonce'],
    ['wallet id of 15 bytes', 'walletId', `df03 0f ${'00'.repeat(15)}`, 'bad_value', 'walletId'],
    ['3-byte tag', 'walletId', `df8303 10 ${'00'.repeat(16)}`, 'bad_tag', 'walletId'],
    ['a short tag for a field', 'counter', '0f 01 2a', 'bad_tag', 'counter'],
    ['another field in its place', 'counter', 'df20 01 2a', 'bad_tag', 'counter'],
  ];

  it.each(cases)('%s → %s: %s', (_, name, raw, code, path) => {
    expectProtocolError(
      () => PaymentRecord.decodeBody(withField(name, raw)),
      code,
      `payment-record.${path}`,
    );
  });

  it('refuses fields out of order, naming the field expected', () => {
    const f = fieldTlvs();
    const swapped = [...f.entries()].map(([name, bytes]) =>
      name === 'amount'
        ? (f.get('currency') as Uint8Array)
        : name === 'currency'
          ? (f.get('amount') as Uint8Array)
          : bytes,
    );
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(swapped)),
      'bad_tag',
      'payment-record.amount',
    );
  });

  it('refuses a duplicated field', () => {
    const f = [...fieldTlvs().values()];
    const dupAmount = [...f.slice(0, 3), f[2] as Uint8Array, ...f.slice(3)];
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(dupAmount)),
      'bad_tag',
      'payment-record.currency',
    );
    const dupLast = [...f, f[f.length - 1] as Uint8Array];
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(dupLast)),
      'trailing_bytes',
      'payment-record',
    );
  });

  it('refuses an unknown extra field at the end', () => {
    const extra = [...fieldTlvs().values(), hex('df7e 01 00')];
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(extra)),
      'trailing_bytes',
      'payment-record',
    );
  });

  it('refuses missing fields', () => {
    const f = fieldTlvs();
    f.delete('offlineAmount');
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(f.values())),
      'truncated',
      'payment-record.offlineAmount',
    );
    f.delete('counter');
    expectProtocolError(
      () => PaymentRecord.decodeBody(recordBody(f.values())),
      'bad_tag',
      'payment-record.counter',
    );
  });

  it('refuses a field that runs past the end of its struct, even into real bytes', () => {
    const f = [...fieldTlvs().values()];
    const last = f.pop() as Uint8Array;
    // offlineAmount claims one byte more than the body holds; the signature follows it.
    const overrun = concat(
      last.subarray(0, 2),
      Uint8Array.of((last[2] as number) + 1),
      last.subarray(3),
    );
    const body = recordBody([...f, overrun]);
    const envelope = tlvOf('F0', body, tlv('DF7F', new Uint8Array(64)));
    expectProtocolError(
      () => PaymentRecord.decode(envelope),
      'truncated',
      'payment-record.offlineAmount',
    );
  });

  it('refuses the wrong body tag and a non-minimal body length', () => {
    const good = recordBody(fieldTlvs().values());
    expectProtocolError(
      () => PaymentRecord.decodeBody(concat(hex('e3'), good.subarray(1))),
      'bad_tag',
      'payment-record',
    );
    expect(good[1]).toBeLessThan(0x80);
    const longForm = concat(hex('e4 81'), good.subarray(1));
    expectProtocolError(
      () => PaymentRecord.decodeBody(longForm),
      'non_minimal_length',
      'payment-record',
    );
    expectProtocolError(
      () => PaymentRecord.decodeBody(concat(good, hex('00'))),
      'trailing_bytes',
      'payment-record',
    );
  });
});

describe('the wire identity of every object', () => {
  const spec: [string, string, string[]][] = [
    [
      'wallet-certificate',
      'e1',
      ['df02', 'df03', 'df05', 'df06', 'df07', 'df08', 'df09', 'df11', 'df0a', 'df0b', 'df0c'],
    ],
    ['freshness-token', 'e2', ['df03', 'df07', 'df0d', 'df0e', 'df0f']],
    ['payment-request', 'e3', ['df10', 'df11', 'df12', 'df13', 'df14', 'df15']],
    ['payment-record', 'e4', recordFields.map(([, tag]) => tag.toLowerCase())],
    ['hotlist', 'e5', ['df19', 'df1b', 'df1c', 'df07', 'df1a', 'ff01', 'ff03']],
    ['notification', 'e6', ['df1f', 'df03', 'df20', 'df07', 'df1a', 'df10', 'df0e', 'df02']],
    [
      'settlement-batch',
      'e7',
      [
        'df22',
        'df12',
        'df13',
        'df11',
        'df23',
        'df24',
        'ff04',
        'ff05',
        'df25',
        'df26',
        'df2d',
        'df27',
      ],
    ],
    ['settlement-result', 'e8', ['df22', 'df13', 'df07', 'df2c', 'ff07', 'df2b']],
    ['terminal-certificate', 'e9', ['df02', 'df12', 'df13', 'df30', 'df07', 'df08', 'df09']],
    ['issuer-key', 'ea', ['df07', 'df31', 'df1a', 'df09']],
  ];

  it('the exported object types are exactly these', () => {
    const types = [
      WalletCertificate,
      FreshnessToken,
      PaymentRequest,
      PaymentRecord,
      Hotlist,
      Notification,
      SettlementBatch,
      SettlementResult,
      TerminalCertificate,
      IssuerKeyAnnouncement,
    ];
    expect(types.map((t) => t.name)).toEqual(spec.map(([name]) => name));
    expect(mainSamples.map((c) => c.type.name).sort()).toEqual(spec.map(([name]) => name).sort());
  });

  it.each(spec)('%s: domain, body tag and field order', (name, bodyTag, tags) => {
    const sample = mainSamples.find((c) => c.type.name === name);
    if (!sample) throw new Error(`no sample of ${name}`);
    const { type, value } = sample;
    expect(type.domain).toBe(`tapsafe/1/${name}`);
    const [body] = splitTlvs(type.encodeBody(value));
    expect(toHex(body?.tag ?? new Uint8Array(0))).toBe(bodyTag);
    expect(type.body.tag.toString(16)).toBe(bodyTag);
    expect(splitTlvs(body?.value ?? new Uint8Array(0)).map((f) => toHex(f.tag))).toEqual(tags);
  });
});
