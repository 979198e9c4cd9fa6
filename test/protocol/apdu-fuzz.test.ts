/**
 * Hostile input: whatever bytes a phone or a terminal receives, the APDU layer either
 * returns or throws ProtocolError — never a TypeError, a RangeError or a read past the end.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AID,
  classifyCommand,
  classifyCommandBytes,
  decodeFci,
  decodePaymentLog,
  encodeCommandApdu,
  encodeFci,
  encodePaymentLog,
  generateSigningKey,
  Notification,
  parseCommandApdu,
  parseResponse,
  PaymentRecord,
  PaymentRequest,
  ProtocolError,
  STATUS_WORDS,
  type CommandApdu,
} from '../../protocol';

/** Runs `fn`; anything thrown must be a ProtocolError. Returns whether it threw. */
function onlyProtocolErrors(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return true;
  }
}

const key = generateSigningKey();
const walletId = new Uint8Array(16).fill(7);
const request = PaymentRequest.sign(
  {
    amount: 500,
    currency: 978,
    merchantId: 'm-1',
    terminalId: 't-1',
    terminalTime: 1_790_000_000,
    nonce: new Uint8Array(16),
  },
  key,
).encoded;
const notification = Notification.sign(
  {
    notificationType: 'top_up',
    walletId,
    sequence: 1,
    issuerKeyId: new Uint8Array(8),
    issuedAt: 1_790_000_000,
    amount: 100,
    balance: 100,
    serial: 0,
  },
  key,
).encoded;
const records = [2, 1].map((counter) =>
  PaymentRecord.sign(
    {
      walletId,
      counter,
      amount: 1,
      currency: 978,
      merchantId: 'm-1',
      terminalId: 't-1',
      terminalTime: 1_790_000_000,
      nonce: new Uint8Array(16),
      balanceAfter: 1,
      offlineCount: counter,
      offlineAmount: counter,
    },
    key,
  ),
);
const log = encodePaymentLog(records);
const fci = encodeFci({ protocolVersion: 1, walletState: 'active', walletId });

/** A valid sample with a few bytes overwritten, inserted or cut: near misses find more bugs. */
function mutated(sample: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      edits: fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      }),
      cut: fc.nat(sample.length + 2),
      extra: fc.uint8Array({ maxLength: 3 }),
    })
    .map(({ edits, cut, extra }) => {
      const out = Uint8Array.from(sample);
      for (const [at, value] of edits) out[at] = value;
      return Buffer.concat([out.subarray(0, Math.min(cut, out.length)), extra]);
    });
}

const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.uint8Array({ minLength: 250, maxLength: 300 }),
);
const runs = { numRuns: 2000 };

describe('random bytes only ever produce ProtocolError', () => {
  it('parseCommandApdu', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyBytes,
          mutated(
            encodeCommandApdu({ cla: 0x80, ins: 0x50, p1: 0, p2: 0, data: request, le: 256 }),
          ),
        ),
        (bytes) => {
          if (!onlyProtocolErrors(() => parseCommandApdu(bytes))) {
            // Whatever parses has consistent lengths.
            const c = parseCommandApdu(bytes);
            expect(bytes.length).toBeGreaterThanOrEqual(4 + c.data.length);
          }
        },
      ),
      runs,
    );
  });

  it('parseResponse', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const threw = onlyProtocolErrors(() => parseResponse(bytes));
        expect(threw).toBe(bytes.length < 2);
      }),
      runs,
    );
  });

  it('decodeFci', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, mutated(fci)), (bytes) => {
        onlyProtocolErrors(() => decodeFci(bytes));
      }),
      runs,
    );
  });

  it('decodePaymentLog', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, mutated(log)), (bytes) => {
        onlyProtocolErrors(() => decodePaymentLog(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('classifyCommand always answers', () => {
  const byte = fc.integer({ min: 0, max: 255 });
  const command: fc.Arbitrary<CommandApdu> = fc.record({
    cla: fc.oneof(fc.constantFrom(0x00, 0x80), byte),
    ins: fc.oneof(fc.constantFrom(0xa4, 0xc0, 0xca, 0x50, 0xb2, 0xd0), byte),
    p1: fc.oneof(fc.constantFrom(0, 1, 4, 16, 17), byte),
    p2: fc.oneof(fc.constantFrom(0, 1, 2), byte),
    data: fc.oneof(
      fc.constant(new Uint8Array(0)),
      fc.constant(AID),
      mutated(AID),
      mutated(request),
      mutated(notification),
      fc.uint8Array({ maxLength: 64 }),
    ),
    le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
    extended: fc.boolean(),
  });
  const statusWords = new Set<number>(Object.values(STATUS_WORDS).map((entry) => entry.sw));

  it('returns a command or a refusal with a documented status word, never throws', () => {
    fc.assert(
      fc.property(command, (c) => {
        const result = classifyCommand(c);
        if (result.kind === 'refused') expect(statusWords.has(result.sw)).toBe(true);
      }),
      runs,
    );
  });

  it('classifyCommandBytes never throws on raw bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyBytes,
          mutated(encodeCommandApdu({ cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: notification })),
        ),
        (bytes) => {
          const { classified } = classifyCommandBytes(bytes);
          if (classified.kind === 'refused') expect(statusWords.has(classified.sw)).toBe(true);
        },
      ),
      runs,
    );
  });
});
