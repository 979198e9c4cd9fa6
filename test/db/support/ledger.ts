/** Real ledger files in the test's own temp folder, and signed records to put in them. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  PaymentRecord,
  generateSigningKey,
  signingKeyFromScalar,
  type Signed,
  type SigningKey,
} from '../../../protocol';

export interface TestWallet {
  walletId: Buffer;
  key: SigningKey;
}

export function newWallet(): TestWallet {
  return { walletId: randomBytes(16), key: generateSigningKey() };
}

export function walletFrom(walletIdHex: string, scalarHex: string): TestWallet {
  return {
    walletId: Buffer.from(walletIdHex, 'hex'),
    key: signingKeyFromScalar(Buffer.from(scalarHex, 'hex')),
  };
}

export function record(wallet: TestWallet, counter: number, amount = 250): Signed<PaymentRecord> {
  return PaymentRecord.sign(
    {
      walletId: wallet.walletId,
      counter,
      amount,
      currency: 978,
      merchantId: 'M-1',
      terminalId: 'T-1',
      terminalTime: 1_700_000_000 + counter,
      nonce: randomBytes(16),
      balanceAfter: 10_000,
      offlineCount: counter,
      offlineAmount: amount * counter,
    },
    wallet.key,
  );
}

/** A fresh folder per test, removed after it. */
export function useTempDir(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `tapsafe-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}

/**
 * docs/protocol.md's chainHead, computed here without db/: SHA-256 over plain bytes, and the
 * void entry's TLV written out by hand.
 */
export type ChainInput =
  | { kind: 'payment'; body: Uint8Array }
  | { kind: 'void'; walletId: Uint8Array; counter: number; amount: number; voidedAt: number };

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

function minimalUint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  do {
    out.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Buffer.from(out);
}

function tlv(tag: number[], value: Buffer): Buffer {
  if (value.length > 127) throw new Error('short lengths only in this helper');
  return Buffer.concat([Buffer.from(tag), Buffer.of(value.length), value]);
}

export function voidEntryBytes(v: Extract<ChainInput, { kind: 'void' }>): Buffer {
  return tlv(
    [0xff, 0x06],
    Buffer.concat([
      tlv([0xdf, 0x03], Buffer.from(v.walletId)),
      tlv([0xdf, 0x0f], minimalUint(v.counter)),
      tlv([0xdf, 0x10], minimalUint(v.amount)),
      tlv([0xdf, 0x28], minimalUint(v.voidedAt)),
    ]),
  );
}

export function expectedHead(entries: readonly ChainInput[]): Buffer {
  let head = Buffer.alloc(32);
  for (const e of entries) {
    head = sha(head, sha(e.kind === 'payment' ? e.body : voidEntryBytes(e)));
  }
  return head;
}

/** What `work` throws; fails the test when it throws nothing. */
export function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
