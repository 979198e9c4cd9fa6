/**
 * `npm run bench -- protocol`: how close decoding + verifying a payment record comes to a
 * bare crypto.verify (goal ≥ 0.9), and how fast records are encoded and signed. The two
 * are measured in alternating rounds so that machine noise hits both alike.
 */
import { randomBytes, verify } from 'node:crypto';
import {
  PaymentRecord,
  generateSigningKey,
  importPublicKey,
  type PaymentRecord as Record,
  type SigningKey,
} from '../protocol';
import { median, rate, report } from './report';

const RECORDS = 2_000;
const WALLETS = 50;
const ROUNDS = 7;

function sampleRecord(wallet: number, counter: number): Record {
  return {
    walletId: Buffer.alloc(16, wallet),
    counter,
    amount: 100 + (counter % 9_000),
    currency: 156,
    merchantId: 'M-0001',
    terminalId: 'T-0001-A',
    terminalTime: 1_796_083_200 + counter,
    nonce: randomBytes(16),
    balanceAfter: 1_000_000 - counter,
    offlineCount: (counter % 20) + 1,
    offlineAmount: 5_000,
  };
}

export function run(): void {
  const wallets: SigningKey[] = Array.from({ length: WALLETS }, generateSigningKey);
  const values = Array.from({ length: RECORDS }, (_, i) => sampleRecord(i % WALLETS, i + 1));
  const signed = values.map((value, i) =>
    PaymentRecord.sign(value, wallets[i % WALLETS] as SigningKey),
  );
  const envelopes = signed.map((s) => s.encoded);
  const publicKeys = new Map(
    wallets.map((w, i) => [Buffer.alloc(16, i).toString('hex'), w.publicKey]),
  );

  // Bare: the message and key are ready; only the signature check is timed.
  const bare = signed.map((s, i) => ({
    message: PaymentRecord.signedMessage(s.body),
    signature: s.signature,
    key: importPublicKey((wallets[i % WALLETS] as SigningKey).publicKey),
  }));

  const full: number[] = [];
  const raw: number[] = [];
  const signing: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(
      rate(bare, ({ message, signature, key }) => {
        if (!verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature))
          throw new Error('bad');
      }),
    );
    full.push(
      rate(envelopes, (bytes) => {
        const record = PaymentRecord.decode(bytes);
        const key = publicKeys.get(Buffer.from(record.value.walletId).toString('hex'));
        if (!key) throw new Error('unknown wallet');
        PaymentRecord.verify(record, key);
      }),
    );
    signing.push(
      rate(values.slice(0, 500), (value) => PaymentRecord.sign(value, wallets[0] as SigningKey)),
    );
  }

  const decodeOnly = median(
    Array.from({ length: 3 }, () => rate(envelopes, (b) => PaymentRecord.decode(b))),
  );
  const verified = median(full);
  const ceiling = median(raw);
  report({
    bench: 'protocol',
    metric: 'record_decode_verify_per_s',
    value: Math.round(verified),
    unit: 'ops/s',
  });
  report({
    bench: 'protocol',
    metric: 'bare_crypto_verify_per_s',
    value: Math.round(ceiling),
    unit: 'ops/s',
  });
  report({
    bench: 'protocol',
    metric: 'decode_verify_to_bare_ratio',
    value: +(verified / ceiling).toFixed(3),
    unit: 'ratio',
  });
  report({
    bench: 'protocol',
    metric: 'record_decode_only_per_s',
    value: Math.round(decodeOnly),
    unit: 'ops/s',
  });
  report({
    bench: 'protocol',
    metric: 'record_encode_sign_per_s',
    value: Math.round(median(signing)),
    unit: 'ops/s',
  });
}
