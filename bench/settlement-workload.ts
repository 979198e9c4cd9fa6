/** The settlement benchmark's workload: wallets, terminals, signed batches, and their rows. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  CHAIN_GENESIS,
  PaymentRecord,
  SettlementBatch,
  WalletCertificate,
  batchChainHead,
  generateSigningKey,
  type Signed,
  type SigningKey,
} from '../protocol';
import type { PlatformDatabase } from '../platform/db/schema';
import type { IssuerKeys } from '../platform/keys/issuer-keys';

export const T0 = 1_800_000_000;
const MERCHANT = 'M-BENCH';
const WALLETS = 1_000;
const TERMINALS = 10;

export interface Workload {
  readonly wallets: { id: Buffer; key: SigningKey }[];
  readonly terminals: { id: string; key: SigningKey }[];
  readonly batches: { terminal: string; envelope: Uint8Array }[];
}

export function workload(RECORDS: number, PER_BATCH: number): Workload {
  const wallets = Array.from({ length: WALLETS }, () => ({
    id: randomBytes(16),
    key: generateSigningKey(),
  }));
  const terminals = Array.from({ length: TERMINALS }, (_, i) => ({
    id: `T-BENCH-${i}`,
    key: generateSigningKey(),
  }));
  const counters = new Array<number>(WALLETS).fill(0);
  const batches: Workload['batches'] = [];
  // Each terminal's batches continue its settlement chain: settle them in this order.
  const heads = new Map<string, Uint8Array>();
  for (let start = 0; start < RECORDS; start += PER_BATCH) {
    const terminal = terminals[batches.length % TERMINALS]!;
    const records: Signed<PaymentRecord>[] = [];
    for (let i = start; i < Math.min(RECORDS, start + PER_BATCH); i++) {
      const w = Math.floor(Math.random() * WALLETS);
      const counter = (counters[w] = counters[w]! + 1);
      records.push(
        PaymentRecord.sign(
          {
            walletId: wallets[w]!.id,
            counter,
            amount: 1 + (i % 40),
            currency: 978,
            merchantId: MERCHANT,
            terminalId: terminal.id,
            terminalTime: T0 - 3_000 + (i % 3_000),
            nonce: randomBytes(16),
            balanceAfter: 0,
            offlineCount: 1,
            offlineAmount: 40,
          },
          wallets[w]!.key,
        ),
      );
    }
    const total = records.reduce((sum, r) => sum + r.value.amount, 0);
    const chainHead = batchChainHead(heads.get(terminal.id) ?? CHAIN_GENESIS, records, []);
    heads.set(terminal.id, chainHead);
    const batch = SettlementBatch.sign(
      {
        batchId: randomBytes(16),
        merchantId: MERCHANT,
        terminalId: terminal.id,
        currency: 978,
        periodStart: T0 - 3_600,
        periodEnd: T0,
        records,
        voids: [],
        recordCount: records.length,
        total,
        voidTotal: 0,
        chainHead,
      },
      terminal.key,
    );
    batches.push({ terminal: terminal.id, envelope: batch.encoded });
  }
  return { wallets, terminals, batches };
}

export async function seed(db: Kysely<PlatformDatabase>, keys: IssuerKeys, load: Workload) {
  const issuer = await keys.activeIssuer();
  await db
    .insertInto('merchants')
    .values({ merchant_id: MERCHANT, name: 'Bench', created_at: T0 })
    .execute();
  await db
    .insertInto('terminals')
    .values(
      load.terminals.map((t) => ({
        terminal_id: t.id,
        merchant_id: MERCHANT,
        public_key: t.key.publicKey,
        params: '{}',
        enrolled_at: T0,
        suspended_at: null,
      })),
    )
    .execute();
  const accounts = load.wallets.map((_, i) => `bench-${i}`);
  await db
    .insertInto('accounts')
    .values(
      accounts.map((id) => ({
        account_id: id,
        name: id,
        password_hash: 'scrypt$bench',
        id_number_hash: null,
        phone_number: null,
        created_at: T0,
      })),
    )
    .execute();
  const rows = load.wallets.map((w, i) => {
    const certificate = WalletCertificate.sign(
      {
        serial: i + 1,
        walletId: w.id,
        walletPublicKey: w.key.publicKey,
        bindingDigest: Buffer.alloc(32, 1),
        issuerKeyId: issuer.keyId,
        validFrom: T0 - 86_400,
        validUntil: T0 + 86_400 * 365,
        currency: 978,
        limitPerPayment: 5_000,
        limitOfflineAmount: 20_000,
        limitOfflineCount: 10,
      },
      issuer.signingKey,
    );
    return {
      wallet_id: w.id,
      account_id: accounts[i]!,
      public_key: w.key.publicKey,
      binding_salt: Buffer.alloc(16, 2),
      imei: '490154203237518',
      imsi: '310150123456789',
      certificate: certificate.encoded,
      serial: i + 1,
      currency: 978,
      limit_per_payment: 5_000,
      limit_offline_amount: 20_000,
      limit_offline_count: 10,
      created_at: T0,
      revoked_at: null,
      revoke_reason: null,
    };
  });
  await db.insertInto('wallets').values(rows).execute();
}
