/**
 * fast-check arbitraries for valid values of every object type (within each field's
 * range: uint maxima, identifier charset and length, fixed sizes, enum names; lists kept
 * short), and for byte- and field-level mutations of valid encodings.
 */
import fc from 'fast-check';
import {
  FreshnessToken,
  Hotlist,
  MAX_CURRENCY,
  Notification,
  NOTIFICATION_TYPES,
  PaymentRecord,
  PaymentRequest,
  RECORD_STATUSES,
  REJECT_REASONS,
  REVOCATION_REASONS,
  SettlementBatch,
  SettlementResult,
  WalletCertificate,
  type SignedObjectType,
  type SigningKey,
} from '../../../protocol';
import { concat, lengthBytes, splitTlvs } from './bytes';
import { keys } from './keys';

const MAX = Number.MAX_SAFE_INTEGER;
const EDGES = [
  0,
  1,
  0x7f,
  0x80,
  0xff,
  0x100,
  0xffff,
  0x1_0000,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 48 - 1,
  2 ** 48,
  MAX,
];

/** Unsigned integers in 0..max, biased towards byte-length boundaries and the maximum. */
export function uintArb(max = MAX): fc.Arbitrary<number> {
  const edges = fc.constantFrom(...EDGES.filter((e) => e <= max), max);
  if (max <= 0x7fff_ffff) return fc.oneof(fc.integer({ min: 0, max }), edges);
  return fc.oneof(
    fc.nat(),
    fc.maxSafeNat().filter((n) => n <= max),
    edges,
  );
}

export const bytesArb = (size: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: size, maxLength: size });

export const ID_CHARS = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-',
] as const;

export const identifierArb = (maxLength = 32): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength });

const time = uintArb();
const amount = uintArb();
const walletId = bytesArb(16);
const issuerKeyId = bytesArb(8);
const currency = uintArb(MAX_CURRENCY);

export const certificateArb: fc.Arbitrary<WalletCertificate> = fc.record({
  serial: uintArb(),
  walletId,
  walletPublicKey: bytesArb(33),
  bindingDigest: bytesArb(32),
  issuerKeyId,
  validFrom: time,
  validUntil: time,
  currency,
  limitPerPayment: amount,
  limitOfflineAmount: amount,
  limitOfflineCount: uintArb(65_535),
});

export const freshnessArb: fc.Arbitrary<FreshnessToken> = fc.record({
  walletId,
  issuerKeyId,
  syncTime: time,
  balance: amount,
  counter: uintArb(),
});

const requestFields = {
  amount,
  currency,
  merchantId: identifierArb(),
  terminalId: identifierArb(),
  terminalTime: time,
  nonce: bytesArb(16),
};

export const requestArb: fc.Arbitrary<PaymentRequest> = fc.record(requestFields);

export const recordArb: fc.Arbitrary<PaymentRecord> = fc.record({
  walletId,
  counter: uintArb(),
  ...requestFields,
  balanceAfter: amount,
  offlineCount: uintArb(65_535),
  offlineAmount: amount,
});

export const notificationArb: fc.Arbitrary<Notification> = fc.record({
  notificationType: fc.constantFrom(...NOTIFICATION_TYPES),
  walletId,
  sequence: uintArb(),
  issuerKeyId,
  issuedAt: time,
  amount,
  balance: amount,
  serial: uintArb(),
});

export const hotlistArb: fc.Arbitrary<Hotlist> = fc.record({
  hotlistVersion: uintArb(),
  kind: fc.constantFrom('full' as const, 'delta' as const),
  baseVersion: uintArb(),
  issuerKeyId,
  issuedAt: time,
  entries: fc.array(
    fc.record({ walletId, reason: fc.constantFrom(...REVOCATION_REASONS), revokedAt: time }),
    { maxLength: 4 },
  ),
  notices: fc.array(
    notificationArb.map((n) => Notification.sign(n, keys.issuer)),
    { maxLength: 2 },
  ),
});

export const batchArb: fc.Arbitrary<SettlementBatch> = fc.record({
  batchId: bytesArb(16),
  merchantId: identifierArb(),
  terminalId: identifierArb(),
  currency,
  periodStart: time,
  periodEnd: time,
  records: fc.array(
    recordArb.map((r) => PaymentRecord.sign(r, keys.wallet)),
    { maxLength: 3 },
  ),
  voids: fc.array(fc.record({ walletId, counter: uintArb(), amount, voidedAt: time }), {
    maxLength: 3,
  }),
  recordCount: uintArb(),
  total: amount,
  voidTotal: amount,
  chainHead: bytesArb(32),
});

export const resultArb: fc.Arbitrary<SettlementResult> = fc.record({
  batchId: bytesArb(16),
  terminalId: identifierArb(),
  issuerKeyId,
  settledAt: time,
  results: fc.array(
    fc.record({
      walletId,
      counter: uintArb(),
      status: fc.constantFrom(...RECORD_STATUSES),
      reason: fc.constantFrom(...REJECT_REASONS),
    }),
    { maxLength: 5 },
  ),
  totalCredited: amount,
});

export interface ArbitraryCase<T = unknown> {
  readonly type: SignedObjectType<T>;
  readonly arb: fc.Arbitrary<T>;
  readonly signer: SigningKey;
}

const arbitrary = <T>(
  type: SignedObjectType<T>,
  arb: fc.Arbitrary<T>,
  signer: SigningKey,
): ArbitraryCase => ({ type, arb, signer });

/** One arbitrary per object type. */
export const arbitraries: readonly ArbitraryCase[] = [
  arbitrary(WalletCertificate, certificateArb, keys.issuer),
  arbitrary(FreshnessToken, freshnessArb, keys.issuer),
  arbitrary(PaymentRequest, requestArb, keys.terminal),
  arbitrary(PaymentRecord, recordArb, keys.wallet),
  arbitrary(Notification, notificationArb, keys.issuer),
  arbitrary(Hotlist, hotlistArb, keys.issuer),
  arbitrary(SettlementBatch, batchArb, keys.terminal),
  arbitrary(SettlementResult, resultArb, keys.issuer),
];

// ---- mutations of valid encodings ----

/** A byte-level edit; positions are taken modulo the input's length when applied. */
export type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'splice'; at: number; count: number; bytes: Uint8Array };

const byte = fc.integer({ min: 0, max: 255 });
const someBytes = fc.uint8Array({ minLength: 1, maxLength: 8 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte }), weight: 3 },
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: someBytes }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    count: fc.integer({ min: 0, max: 8 }),
    bytes: someBytes,
  }),
);

export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = [...bytes];
  const at = m.at % (bytes.length + (m.kind === 'insert' ? 1 : 0) || 1);
  if (m.kind === 'set') out[at] = m.byte;
  else if (m.kind === 'insert') out.splice(at, 0, ...m.bytes);
  else if (m.kind === 'delete') out.splice(at, m.count);
  else out.splice(at, m.count, ...m.bytes);
  return Uint8Array.from(out);
}

/** An edit of the fields of a struct: new value, dropped, duplicated, swapped, or a foreign TLV. */
export type FieldMutation =
  | { kind: 'value'; at: number; value: Uint8Array }
  | { kind: 'drop' | 'duplicate' | 'swap'; at: number }
  | { kind: 'foreign'; at: number; tag: Uint8Array; value: Uint8Array };

const fieldValue = fc.oneof(
  fc.uint8Array({ maxLength: 9 }),
  fc.uint8Array({ minLength: 15, maxLength: 34 }),
  fc.string({ maxLength: 40 }).map((s) => Uint8Array.from(Buffer.from(s, 'utf8'))),
);
const fieldTag = fc.oneof(
  fc.integer({ min: 0xdf01, max: 0xdf2d }).map((t) => Uint8Array.of(t >> 8, t & 0xff)),
  fc
    .constantFrom(0xdf7f, 0xff01, 0xff03, 0xff04, 0xff05, 0xff07)
    .map((t) => Uint8Array.of(t >> 8, t & 0xff)),
  byte.filter((b) => (b & 0x1f) !== 0x1f).map((b) => Uint8Array.of(b)),
);

export const fieldMutationArb: fc.Arbitrary<FieldMutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: fieldValue }),
    weight: 3,
  },
  fc.record({
    kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const),
    at: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('foreign' as const),
    at: fc.nat(),
    tag: fieldTag,
    value: fieldValue,
  }),
);

/** Applies `m` to the fields of the struct TLV `body` (one level deep), keeping its tag. */
export function mutateFields(body: Uint8Array, m: FieldMutation): Uint8Array {
  const [outer] = splitTlvs(body);
  if (!outer) return body;
  const fields = splitTlvs(outer.value).map((f) => f.whole);
  if (fields.length === 0) return body;
  const at = m.at % fields.length;
  const field = fields[at] as Uint8Array;
  const tag = splitTlvs(field)[0]?.tag ?? new Uint8Array(0);
  if (m.kind === 'value') fields[at] = concat(tag, lengthBytes(m.value.length), m.value);
  else if (m.kind === 'drop') fields.splice(at, 1);
  else if (m.kind === 'duplicate') fields.splice(at, 0, field);
  else if (m.kind === 'swap') fields.splice(at, 2, ...fields.slice(at, at + 2).reverse());
  else if (m.kind === 'foreign')
    fields.splice(at, 0, concat(m.tag, lengthBytes(m.value.length), m.value));
  const content = concat(...fields);
  return concat(outer.tag, lengthBytes(content.length), content);
}
