/**
 * Checking the platform's answer to a batch before anything is applied: signed by a trust
 * key valid now, for this batch and this terminal, one entry per record and per void in
 * batch order. Then the outcomes, the result and the acknowledgement are stored together.
 */
import { guarded } from '../../../db/errors';
import type { LedgerStore } from '../../../db/ledger-store';
import type { Unsettled } from '../../../db/batches';
import { storeResult } from '../../../db/settlement-results';
import { ProtocolError, SettlementResult, type Signed } from '../../../protocol';
import { TerminalError } from '../errors';
import type { TrustKey } from '../model';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function badResult(message: string, details: Record<string, unknown> = {}): TerminalError {
  return new TerminalError('bad_result', `the platform's settlement result ${message}`, details);
}

export function openResult(
  envelope: Uint8Array,
  trustKeys: readonly TrustKey[],
  now: number,
): Signed<SettlementResult> {
  let signed: Signed<SettlementResult>;
  try {
    signed = SettlementResult.decode(envelope);
  } catch (error) {
    if (error instanceof ProtocolError) throw badResult(`cannot be read: ${error.message}`);
    throw error;
  }
  const keyId = hex(signed.value.issuerKeyId);
  const key = trustKeys.find((k) => hex(k.keyId) === keyId);
  if (key === undefined) {
    throw new TerminalError(
      'unknown_issuer_key',
      'the settlement result is signed by a key this terminal does not trust yet: refresh the trust keys',
      { issuerKeyId: keyId },
    );
  }
  if (key.retiredAt !== null && now >= key.retiredAt) {
    throw badResult('is signed by a retired key', { issuerKeyId: keyId });
  }
  try {
    SettlementResult.verify(signed, key.publicKey);
  } catch (error) {
    if (error instanceof ProtocolError) throw badResult('does not verify', { issuerKeyId: keyId });
    throw error;
  }
  return signed;
}

/** Figures the terminal expects from its own batch (docs/protocol.md §3, settlement-result). */
export function expectedFigures(entries: Unsettled): {
  expectedCredited: number;
  voidsDebited: number;
} {
  const inBatch = new Set(entries.payments.map((p) => p.id));
  const records = entries.payments.reduce((sum, p) => sum + p.amount, 0);
  let ownVoids = 0;
  let earlierVoids = 0;
  for (const v of entries.voids) {
    if (inBatch.has(v.paymentId)) ownVoids += v.amount;
    else earlierVoids += v.amount;
  }
  return { expectedCredited: records - ownVoids, voidsDebited: earlierVoids };
}

/** Checks `result` against the batch it answers and stores it; throws bad_result otherwise. */
export function applyResult(
  ledger: LedgerStore,
  input: {
    batchId: Uint8Array;
    terminalId: string;
    entries: Unsettled;
    result: Signed<SettlementResult>;
    at: number;
  },
): void {
  const { value } = input.result;
  if (hex(value.batchId) !== hex(input.batchId)) {
    throw badResult('answers another batch', { expected: hex(input.batchId) });
  }
  if (value.terminalId !== input.terminalId) throw badResult('names another terminal');
  const expected = [
    ...input.entries.payments.map((p) => ({
      kind: 'record',
      walletId: p.walletId,
      counter: p.counter,
    })),
    ...input.entries.voids.map((v) => ({ kind: 'void', walletId: v.walletId, counter: v.counter })),
  ];
  if (value.results.length !== expected.length) {
    throw badResult(`has ${value.results.length} entries for ${expected.length} in the batch`);
  }
  expected.forEach((entry, index) => {
    const got = value.results[index];
    if (
      got === undefined ||
      hex(got.walletId) !== hex(entry.walletId) ||
      got.counter !== entry.counter
    ) {
      throw badResult(`entry ${index} is not the batch's ${entry.kind} at that place`);
    }
  });
  const outcomes = value.results.map((r) => ({
    walletId: r.walletId,
    counter: r.counter,
    status: r.status,
    reason: r.reason,
  }));
  guarded('storing a settlement result', () =>
    storeResult(ledger.db, {
      batchId: input.batchId,
      envelope: input.result.encoded,
      issuerKeyId: value.issuerKeyId,
      settledAt: value.settledAt,
      totalCredited: value.totalCredited,
      ...expectedFigures(input.entries),
      records: outcomes.slice(0, input.entries.payments.length),
      voids: outcomes.slice(input.entries.payments.length),
      at: input.at,
    }),
  );
}
