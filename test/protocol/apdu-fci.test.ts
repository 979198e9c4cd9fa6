import { describe, expect, it } from 'vitest';
import {
  decodeFci,
  decodePaymentLog,
  encodeFci,
  encodePaymentLog,
  encodeResponse,
  F,
  generateSigningKey,
  MAX_FCI_SIZE,
  MAX_LOG_RECORDS,
  moreDataSw,
  PaymentRecord,
  ProtocolError,
  STATUS_WORDS,
  statusName,
  SW,
  WALLET_STATE_TAG,
  WALLET_STATES,
  type Fci,
  type StatusName,
  type WalletState,
} from '../../protocol';

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const walletId = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function protocolErrorOf(run: () => unknown): ProtocolError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProtocolError);
  return thrown as ProtocolError;
}

describe('SELECT FCI', () => {
  it('encodes 6F { DF01 version, DF2E state, DF03 walletId } byte by byte', () => {
    const bytes = encodeFci({ protocolVersion: 1, walletState: 'active', walletId });
    expect(toHex(bytes)).toBe(`6F1BDF010101DF2E0102DF0310${toHex(walletId)}`);
    expect(toHex(encodeFci({ protocolVersion: 1, walletState: 'not_activated' }))).toBe(
      '6F08DF010101DF2E0101',
    );
  });

  it('round-trips every state', () => {
    for (const walletState of WALLET_STATES) {
      const fci: Fci =
        walletState === 'not_activated'
          ? { protocolVersion: 1, walletState }
          : { protocolVersion: 1, walletState, walletId };
      // Decoded from a plain Uint8Array so byte fields compare as Uint8Array, not Buffer.
      expect(decodeFci(new Uint8Array(encodeFci(fci)))).toEqual(fci);
    }
    expect(decodeFci(encodeFci({ protocolVersion: 1, walletState: 'wiped' }))).toEqual({
      protocolVersion: 1,
      walletState: 'wiped',
    });
  });

  it('numbers the states 01..07 in the documented order', () => {
    const expected: WalletState[] = [
      'not_activated',
      'active',
      'locked',
      'temp_locked_power',
      'temp_locked_network',
      'disabled',
      'wiped',
    ];
    expect([...WALLET_STATES]).toEqual(expected);
    expected.forEach((walletState, i) => {
      const bytes = encodeFci({
        protocolVersion: 1,
        walletState,
        walletId: i === 0 ? undefined : walletId,
      });
      expect(toHex(bytes.subarray(6, 10))).toBe(`DF2E010${i + 1}`);
    });
  });

  it('stays within 38 data bytes (40 with SW) for the largest FCI any wallet can send', () => {
    let largest = 0;
    for (const walletState of WALLET_STATES) {
      const fci: Fci = { protocolVersion: 255, walletState };
      if (walletState !== 'not_activated') fci.walletId = walletId;
      largest = Math.max(largest, encodeFci(fci).length);
      expect(encodeResponse(encodeFci(fci), SW.ok).length).toBeLessThanOrEqual(40);
    }
    expect(largest).toBeLessThanOrEqual(MAX_FCI_SIZE);
    expect(MAX_FCI_SIZE).toBe(38);
  });

  it('refuses walletId where the state forbids or requires it', () => {
    expect(
      protocolErrorOf(() =>
        encodeFci({ protocolVersion: 1, walletState: 'not_activated', walletId }),
      ).field,
    ).toBe('fci.walletId');
    expect(
      protocolErrorOf(() => encodeFci({ protocolVersion: 1, walletState: 'active' })).field,
    ).toBe('fci.walletId');
    expect(protocolErrorOf(() => decodeFci(hex('6F08DF010101DF2E0102'))).field).toBe(
      'fci.walletId',
    );
    expect(
      protocolErrorOf(() => decodeFci(hex(`6F1BDF010101DF2E0101DF0310${toHex(walletId)}`))).field,
    ).toBe('fci.walletId');
  });

  it('refuses non-canonical FCIs with a typed error naming the field', () => {
    const cases: [string, string, string][] = [
      ['6F08DF010101DF2E0108', 'bad_value', 'fci.walletState'], // state 08
      ['6F08DF010101DF2E0100', 'bad_value', 'fci.walletState'], // state 00
      ['6F09DF01020001DF2E0101', 'bad_value', 'fci.protocolVersion'], // version with a leading zero
      ['6F08DF2E0101DF010101', 'bad_tag', 'fci.protocolVersion'], // fields swapped
      ['6F0ADF010101DF2E01010000', 'bad_tag', 'fci.walletId'], // junk after the state
      ['6F08DF010101DF2E0101 00', 'trailing_bytes', 'fci'],
      [`6F1DDF010101DF2E0102DF0310${toHex(walletId)}0000`, 'trailing_bytes', 'fci'],
      ['6E08DF010101DF2E0101', 'bad_tag', 'fci'],
      ['6F09DF010101DF2E0101', 'truncated', 'fci'],
      ['6F1ADF010101DF2E0102DF030F' + toHex(walletId.subarray(1)), 'bad_value', 'fci.walletId'],
    ];
    for (const [bytes, code, field] of cases) {
      const error = protocolErrorOf(() => decodeFci(hex(bytes)));
      expect([bytes, error.code, error.field]).toEqual([bytes, code, field]);
    }
    expect(protocolErrorOf(() => decodeFci(new Uint8Array(39))).code).toBe('length_too_large');
  });

  it('DF2E is the registry walletState and no other field tag', () => {
    const tags = Object.entries(F).filter(([, element]) => element.tag === WALLET_STATE_TAG);
    expect(tags.map(([name]) => name)).toEqual(['walletState']);
    expect(Object.values(F).map((element) => element.tag)).toContain(0xdf03);
  });
});

describe('READ LOG answer', () => {
  const key = generateSigningKey();
  const record = (counter: number, id: Uint8Array = walletId) =>
    PaymentRecord.sign(
      {
        walletId: id,
        counter,
        amount: 100 + counter,
        currency: 978,
        merchantId: 'merchant-1',
        terminalId: 'pos-7',
        terminalTime: 1_790_000_000 + counter,
        nonce: new Uint8Array(16).fill(counter & 0xff),
        balanceAfter: 10_000 - counter,
        offlineCount: counter,
        offlineAmount: 100 * counter,
      },
      key,
    );

  it('is FF10 holding F0 envelopes, newest first, and round-trips', () => {
    const records = [record(9), record(7), record(3)];
    const bytes = encodePaymentLog(records);
    expect(toHex(bytes.subarray(0, 2))).toBe('FF10');
    const decoded = decodePaymentLog(bytes, 3);
    expect(decoded.map((r) => r.value.counter)).toEqual([9, 7, 3]);
    expect(decoded.map((r) => toHex(r.encoded))).toEqual(records.map((r) => toHex(r.encoded)));
    expect(toHex(encodePaymentLog([]))).toBe('FF1000');
    expect(decodePaymentLog(hex('FF1000'))).toEqual([]);
  });

  it('holds up to 16 records and no more than requested', () => {
    const sixteen = Array.from({ length: MAX_LOG_RECORDS }, (_, i) => record(100 - i));
    const bytes = encodePaymentLog(sixteen);
    expect(decodePaymentLog(bytes).length).toBe(16);
    expect(protocolErrorOf(() => decodePaymentLog(bytes, 15)).code).toBe('bad_value');
    expect(protocolErrorOf(() => encodePaymentLog([...sixteen, record(1)])).code).toBe('bad_value');
  });

  it('refuses records out of order or of another wallet', () => {
    expect(protocolErrorOf(() => encodePaymentLog([record(3), record(7)])).field).toBe(
      'paymentLog[1].counter',
    );
    expect(protocolErrorOf(() => encodePaymentLog([record(3), record(3)])).field).toBe(
      'paymentLog[1].counter',
    );
    const other = record(2, new Uint8Array(16).fill(1));
    expect(protocolErrorOf(() => encodePaymentLog([record(3), other])).field).toBe(
      'paymentLog[1].walletId',
    );
    // The decoder checks the same, whatever the encoder did.
    const raw = Buffer.concat([record(3).encoded, record(7).encoded]);
    const header =
      raw.length < 0x80
        ? [raw.length]
        : raw.length <= 0xff
          ? [0x81, raw.length]
          : [0x82, raw.length >> 8, raw.length & 0xff];
    const bytes = Buffer.concat([Buffer.from([0xff, 0x10, ...header]), raw]);
    expect(protocolErrorOf(() => decodePaymentLog(bytes)).field).toBe('paymentLog[1].counter');
  });
});

describe('status words', () => {
  const entries = Object.entries(STATUS_WORDS) as [StatusName, { sw: number; meaning: string }][];

  it('are unique, two bytes, and documented', () => {
    const sws = entries.map(([, entry]) => entry.sw);
    expect(new Set(sws).size).toBe(sws.length);
    for (const [name, entry] of entries) {
      expect(entry.sw).toBeGreaterThanOrEqual(0x6000);
      expect(entry.sw).toBeLessThanOrEqual(0x9fff);
      expect(entry.meaning.length).toBeGreaterThan(3);
      expect(SW[name]).toBe(entry.sw);
    }
  });

  it('no word falls inside a 61xx / 6Cxx family it would be confused with', () => {
    for (const [name, entry] of entries) {
      if (name === 'more_data' || name === 'wrong_le') continue;
      expect([0x61, 0x6c]).not.toContain(entry.sw >> 8);
    }
  });

  it('moreDataSw announces min(remaining, 256), 256 as 00', () => {
    expect(moreDataSw(1)).toBe(0x6101);
    expect(moreDataSw(255)).toBe(0x61ff);
    expect(moreDataSw(256)).toBe(0x6100);
    expect(moreDataSw(1000)).toBe(0x6100);
  });

  it('statusName finds every word back, families by SW1', () => {
    for (const [name, entry] of entries) expect(statusName(entry.sw)).toBe(name);
    expect(statusName(0x61e8)).toBe('more_data');
    expect(statusName(0x6c10)).toBe('wrong_le');
    expect(statusName(0x9f17)).toBeUndefined();
    expect(statusName(0x6a81)).toBeUndefined();
    expect(statusName(-1)).toBeUndefined();
    expect(statusName(0x10000)).toBeUndefined();
  });

  it('has the documented values', () => {
    expect(SW).toMatchObject({
      ok: 0x9000,
      wrong_length: 0x6700,
      malformed_data: 0x6a80,
      application_not_found: 0x6a82,
      wrong_p1p2: 0x6b00,
      unknown_instruction: 0x6d00,
      class_not_supported: 0x6e00,
      conditions_not_satisfied: 0x6985,
      internal_error: 0x6f00,
      locked: 0x9f01,
      temp_locked_power: 0x9f02,
      temp_locked_network: 0x9f03,
      disabled: 0x9f04,
      wiped: 0x9f05,
      insufficient_balance: 0x9f06,
      over_payment_limit: 0x9f07,
      over_offline_amount: 0x9f08,
      over_offline_count: 0x9f09,
      not_activated: 0x9f0a,
      notification_replay: 0x9f0b,
      notification_unknown_signer: 0x9f0c,
      certificate_expired: 0x9f0d,
      currency_mismatch: 0x9f0e,
      zero_amount: 0x9f0f,
      terminal_not_authenticated: 0x9f10,
      terminal_certificate_invalid: 0x9f11,
      terminal_certificate_expired: 0x9f12,
      terminal_suspended: 0x9f13,
      request_signature_invalid: 0x9f14,
      request_terminal_mismatch: 0x9f15,
      nonce_reused: 0x9f16,
    });
  });
});
