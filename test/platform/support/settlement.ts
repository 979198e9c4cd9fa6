/**
 * Settlement fixtures: wallets with a real certificate signed by the platform issuer key
 * (and a wallet key the test holds), payment records signed by that key, batches signed by
 * a terminal key, and the signed upload request; useSettlementSetUp for a platform per
 * test with a terminal and a loaded wallet.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import {
  CHAIN_GENESIS,
  PaymentRecord,
  SettlementBatch,
  batchChainHead,
  WalletCertificate,
  sha256,
  signRequest,
  type Signed,
  type VoidEntry,
  type WalletCertificate as Certificate,
} from '../../../protocol';
import type { PlatformDatabase } from '../../../platform/db/schema';
import type { IssuerKeys } from '../../../platform/keys/issuer-keys';
import { postTransaction } from '../../../platform/ledger/post';
import type { TestDatabases } from './databases';
import { signed } from './requests';
import { insertTerminal, insertWallet, type TerminalFixture, type WalletFixture } from './fixtures';
import { T0, testPlatform, type TestPlatform } from './platform';

export const CURRENCY = 978;

export interface IssuedWallet extends WalletFixture {
  readonly certificate: Certificate;
}

/** A wallet whose stored certificate the platform's active issuer key signed; optionally loaded. */
export async function issueWallet(
  db: Kysely<PlatformDatabase>,
  keys: IssuerKeys,
  options: { load?: number; validUntil?: number } = {},
): Promise<IssuedWallet> {
  const wallet = await insertWallet(db, { at: T0 - 86_400 });
  const row = await db
    .selectFrom('wallets')
    .selectAll()
    .where('wallet_id', '=', wallet.walletId)
    .executeTakeFirstOrThrow();
  const issuer = await keys.activeIssuer();
  const certificate: Certificate = {
    serial: row.serial,
    walletId: wallet.walletId,
    walletPublicKey: wallet.key.publicKey,
    bindingDigest: sha256(row.binding_salt),
    issuerKeyId: issuer.keyId,
    validFrom: T0 - 86_400,
    validUntil: options.validUntil ?? T0 + 365 * 86_400,
    currency: row.currency,
    limitPerPayment: row.limit_per_payment,
    limitOfflineAmount: row.limit_offline_amount,
    limitOfflineCount: row.limit_offline_count,
  };
  const signed = WalletCertificate.sign(certificate, issuer.signingKey);
  await db
    .updateTable('wallets')
    .set({ certificate: signed.encoded })
    .where('wallet_id', '=', wallet.walletId)
    .execute();
  if (options.load !== undefined) {
    await db.transaction().execute((trx) =>
      postTransaction(trx, {
        kind: 'activation.load',
        reference: `test-load:${wallet.walletIdHex}`,
        entries: [
          { account: 'platform:float', amount: -options.load! },
          { account: `wallet:${wallet.walletIdHex}`, amount: options.load! },
        ],
        at: T0 - 86_400,
      }),
    );
  }
  return { ...wallet, certificate };
}

export function pay(
  wallet: WalletFixture,
  terminal: TerminalFixture,
  input: {
    counter: number;
    amount: number;
    time?: number;
    offlineCount?: number;
    offlineAmount?: number;
    currency?: number;
    balanceAfter?: number;
  },
): Signed<PaymentRecord> {
  return PaymentRecord.sign(
    {
      walletId: wallet.walletId,
      counter: input.counter,
      amount: input.amount,
      currency: input.currency ?? CURRENCY,
      merchantId: terminal.merchantId,
      terminalId: terminal.terminalId,
      terminalTime: input.time ?? T0 - 600 + input.counter,
      nonce: randomBytes(16),
      balanceAfter: input.balanceAfter ?? 0,
      offlineCount: input.offlineCount ?? 1,
      offlineAmount: input.offlineAmount ?? input.amount,
    },
    wallet.key,
  );
}

/**
 * The head each test terminal's next batch continues: that of the last batch batchOf built
 * for it in its chain (as a terminal's ledger moves when it cuts a batch, whatever the
 * platform answers). Keyed by the fixture object.
 */
const chainHeads = new WeakMap<TerminalFixture, Uint8Array>();

/** The head the terminal's next batch built by batchOf continues (genesis before its first). */
export function chainHeadOf(terminal: TerminalFixture): Uint8Array {
  return chainHeads.get(terminal) ?? CHAIN_GENESIS;
}

/**
 * A batch signed by the terminal. Its chainHead continues the terminal's chain and moves it
 * (chainHeadOf), unless the test says otherwise: `previous` computes it from another head
 * and `chainHead` sets it outright; either leaves the terminal's chain where it was (a batch
 * meant to be refused, or a test's own chain).
 */
export function batchOf(
  terminal: TerminalFixture,
  records: readonly Signed<PaymentRecord>[],
  options: {
    voids?: readonly VoidEntry[];
    batchId?: Uint8Array;
    currency?: number;
    period?: { start: number; end: number };
    previous?: Uint8Array;
    chainHead?: Uint8Array;
  } = {},
): Signed<SettlementBatch> {
  const voids = options.voids ?? [];
  const ownChain = options.previous === undefined && options.chainHead === undefined;
  const chainHead =
    options.chainHead ?? batchChainHead(options.previous ?? chainHeadOf(terminal), records, voids);
  if (ownChain) chainHeads.set(terminal, chainHead);
  // By default the period spans the last hour and every record's and void's time.
  const times = [...records.map((r) => r.value.terminalTime), ...voids.map((v) => v.voidedAt)];
  return SettlementBatch.sign(
    {
      batchId: options.batchId ?? randomBytes(16),
      merchantId: terminal.merchantId,
      terminalId: terminal.terminalId,
      currency: options.currency ?? CURRENCY,
      periodStart: options.period?.start ?? Math.min(T0 - 3_600, ...times),
      periodEnd: options.period?.end ?? Math.max(T0, ...times),
      records: [...records],
      voids: [...voids],
      recordCount: records.length,
      total: records.reduce((sum, r) => sum + r.value.amount, 0),
      voidTotal: voids.reduce((sum, v) => sum + v.amount, 0),
      chainHead,
    },
    terminal.key,
  );
}

/** The upload as the terminal sends it: octet-stream body, signed by the terminal key. */
export function uploadRequest(
  terminal: TerminalFixture,
  envelope: Uint8Array,
  time = T0,
): InjectOptions {
  const url = '/v1/settlement/batches';
  const headers = signRequest({
    kind: 'terminal',
    callerId: terminal.terminalId,
    key: terminal.key,
    method: 'POST',
    target: url,
    time,
    body: envelope,
  });
  return {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    payload: Buffer.from(envelope),
  };
}

/** A test's platform, with a terminal and alice: a wallet loaded with 10 000. */
export interface SettlementPlatform extends TestPlatform {
  readonly terminal: TerminalFixture;
  readonly alice: IssuedWallet;
}

/**
 * Registers in the calling describe block the closing of each test's platform, and returns
 * the set-up that makes it: a testPlatform on `databases.fresh()`, then the terminal, then
 * alice.
 */
export function useSettlementSetUp(databases: TestDatabases): () => Promise<SettlementPlatform> {
  let platform: TestPlatform | undefined;
  afterEach(async () => {
    await platform?.app.close();
    platform = undefined;
  });

  return async () => {
    platform = await testPlatform(await databases.fresh());
    const { db, keys } = platform;
    const terminal = await insertTerminal(db);
    const alice = await issueWallet(db, keys, { load: 10_000 });
    return { ...platform, terminal, alice };
  };
}

/** The wallet's own signed sync request (what a phone sends when it comes online). */
export function syncRequest(
  wallet: WalletFixture,
  time: number,
  body: { lastSequence: number; counter: number },
): InjectOptions & { payload?: string } {
  return signed({
    kind: 'wallet',
    callerId: wallet.walletIdHex,
    key: wallet.key,
    method: 'POST',
    url: `/v1/wallets/${wallet.walletIdHex}/sync`,
    body,
    time,
  });
}
