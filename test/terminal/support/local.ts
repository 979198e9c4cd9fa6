/**
 * Settlement without a platform, for what needs no money to move: a real ledger file, the
 * test wallets' records (test/db/support), and a fake platform that answers each batch with
 * a result signed by the test issuer (every entry accepted unless the test says otherwise).
 */
import { join } from 'node:path';
import { LedgerStore } from '../../../db/ledger-store';
import type { TerminalIdentity, TerminalParameters, TrustKey } from '../../../main/terminal/model';
import {
  keyIdOf,
  SettlementBatch,
  SettlementResult,
  type SettlementResultEntry,
  type SigningKey,
} from '../../../protocol';
import { SimulatedClock } from '../../../handset';
import { certifyTerminal, terminalKey } from '../../handset/support/terminal';
import { issuerKey } from '../../handset/support/platform';

export const PARAMETERS: TerminalParameters = {
  currency: 978,
  limitPerPayment: 10_000,
  limitOfflineAmount: 50_000,
  limitOfflineCount: 50,
  freshnessMaxAgeSeconds: 7 * 86_400,
  hotlistMaxAgeSeconds: 86_400,
  settlement: { periodSeconds: 3_600, uploadWithinSeconds: 600 },
};

export const trustKeyOf = (key: SigningKey): TrustKey => ({
  keyId: keyIdOf(key.publicKey),
  publicKey: key.publicKey,
  retiredAt: null,
});

export function localTerminal(dir: string) {
  // The test records (test/db/support/ledger.ts) are dated 1_700_000_000 + counter.
  const clock = new SimulatedClock(1_700_000_000);
  const ledger = LedgerStore.open(join(dir, 'ledger.db'));
  const identity: TerminalIdentity = {
    merchantId: 'M-1',
    terminalId: 'T-1',
    certificate: certifyTerminal(clock, { merchantId: 'M-1', terminalId: 'T-1' }),
    signer: terminalKey,
  };
  return { clock, ledger, identity };
}

export interface FakePlatformOptions {
  /** Overrides entry i's status / reason. */
  outcome?: (index: number) => Pick<SettlementResultEntry, 'status' | 'reason'> | undefined;
  signer?: SigningKey;
  /** Answers for another batch id. */
  otherBatch?: boolean;
  clock: { now(): number };
}

/** Answers like the platform would, from the batch alone; totalCredited per the protocol. */
export function fakePlatform(options: FakePlatformOptions) {
  const received: Uint8Array[] = [];
  const upload = (envelope: Uint8Array): Promise<Uint8Array> => {
    received.push(envelope);
    const batch = SettlementBatch.decode(envelope).value;
    const entries = [
      ...batch.records.map((r) => ({
        walletId: r.value.walletId,
        counter: r.value.counter,
        amount: r.value.amount,
      })),
      ...batch.voids.map((v) => ({ walletId: v.walletId, counter: v.counter, amount: -v.amount })),
    ];
    const results = entries.map((e, i) => ({
      walletId: e.walletId,
      counter: e.counter,
      status: 'accepted' as const,
      reason: 'none' as const,
      ...options.outcome?.(i),
    }));
    const credited = results.reduce(
      (sum, r, i) => (r.status === 'accepted' ? sum + (entries[i]?.amount ?? 0) : sum),
      0,
    );
    const signer = options.signer ?? issuerKey;
    return Promise.resolve(
      SettlementResult.sign(
        {
          batchId: options.otherBatch ? new Uint8Array(16).fill(0xee) : batch.batchId,
          terminalId: batch.terminalId,
          issuerKeyId: keyIdOf(signer.publicKey),
          settledAt: options.clock.now(),
          results,
          totalCredited: Math.max(0, credited),
        },
        signer,
      ).encoded,
    );
  };
  return { upload, received };
}
