/**
 * The terminal's side of settlement for scenario tests: the rig's TestTerminal (enrolled by
 * startRig through the API) uploads its payment records as one signed batch over real HTTP,
 * as the POS does at end of day.
 */
import { randomBytes } from 'node:crypto';
import {
  CHAIN_GENESIS,
  SettlementBatch,
  batchChainHead,
  signRequest,
  type PaymentRecord,
  type Signed,
} from '../../../protocol';
import { terminalKey, type TestTerminal } from '../../handset/support/terminal';
import type { Rig } from './rig';

/**
 * Each terminal's settlement chain on each rig's platform: the head its next batch
 * continues (docs/protocol.md). By terminal id: a rig's tests each make their own
 * TestTerminal for the terminal startRig enrolled.
 */
const chainHeads = new WeakMap<Rig, Map<string, Uint8Array>>();

/**
 * Uploads `records` as one batch signed by the terminal, continuing its chain; resolves with
 * the HTTP status.
 */
export async function settle(
  rig: Rig,
  terminal: TestTerminal,
  records: readonly Signed<PaymentRecord>[],
): Promise<number> {
  const now = rig.clock.now();
  const heads = chainHeads.get(rig) ?? new Map<string, Uint8Array>();
  chainHeads.set(rig, heads);
  const chainHead = batchChainHead(heads.get(terminal.terminalId) ?? CHAIN_GENESIS, records, []);
  heads.set(terminal.terminalId, chainHead);
  const batch = SettlementBatch.sign(
    {
      batchId: randomBytes(16),
      merchantId: terminal.merchantId,
      terminalId: terminal.terminalId,
      currency: records[0]?.value.currency ?? 978,
      periodStart: now - 3_600,
      periodEnd: now,
      records: [...records],
      voids: [],
      recordCount: records.length,
      total: records.reduce((sum, r) => sum + r.value.amount, 0),
      voidTotal: 0,
      chainHead,
    },
    terminalKey,
  );
  const target = '/v1/settlement/batches';
  const headers = signRequest({
    kind: 'terminal',
    callerId: terminal.terminalId,
    key: terminalKey,
    method: 'POST',
    target,
    time: now,
    body: batch.encoded,
  });
  const response = await fetch(new URL(target, rig.platform.url), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: Buffer.from(batch.encoded),
  });
  await response.arrayBuffer();
  return response.status;
}
