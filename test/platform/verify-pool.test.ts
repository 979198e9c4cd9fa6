/**
 * The settlement verify pool on its own: real worker threads, real P-256 signatures. Each
 * answer must line up with its item across chunks and workers, carry the body's SHA-256,
 * and say "no" (never throw) for a bad signature, key or domain.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PaymentRecord,
  WalletCertificate,
  generateSigningKey,
  signP1363,
  type SigningKey,
} from '../../protocol';
import {
  VerifyPool,
  VerifyPoolError,
  type VerifyItem,
} from '../../platform/settlement/verify-pool';

const pool = new VerifyPool(2);
afterAll(() => pool.close());

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

function signedItem(
  key: SigningKey,
  domain: VerifyItem['domain'],
  body: Uint8Array = randomBytes(40 + Math.floor(Math.random() * 200)),
): VerifyItem {
  const type = domain === 'record' ? PaymentRecord : WalletCertificate;
  return {
    domain,
    publicKey: key.publicKey,
    signature: signP1363(key, type.signedMessage(body)),
    body,
  };
}

describe('VerifyPool', () => {
  const keys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];

  it('answers every item in order, across chunks and workers, with its body hash', async () => {
    // 700 items: more than one 256-item chunk per worker, so the order is really tested.
    const items = Array.from({ length: 700 }, (_, i) =>
      signedItem(keys[i % keys.length] as SigningKey, i % 5 === 0 ? 'certificate' : 'record'),
    );
    const forged = new Set([3, 257, 511, 699]);
    const sent = items.map((item, i) => {
      if (!forged.has(i)) return item;
      const signature = Uint8Array.from(item.signature);
      signature[10] = (signature[10] as number) ^ 1;
      return { ...item, signature };
    });

    const verdicts = await pool.verify(sent);

    expect(verdicts.ok).toEqual(items.map((_, i) => !forged.has(i)));
    expect(verdicts.bodyHash.map((h) => Buffer.from(h).toString('hex'))).toEqual(
      items.map((item) => sha(item.body).toString('hex')),
    );
  });

  it('says no to a signature made for the other domain, a stranger key or a malformed key', async () => {
    const [owner, stranger] = keys as [SigningKey, SigningKey];
    const good = signedItem(owner, 'record');
    const notAPoint = Uint8Array.from(owner.publicKey);
    notAPoint.fill(0xff, 1);
    const items: VerifyItem[] = [
      good,
      { ...good, domain: 'certificate' },
      { ...good, publicKey: stranger.publicKey },
      { ...good, publicKey: notAPoint },
      { ...good, publicKey: owner.publicKey.subarray(0, 20) },
      { ...good, signature: good.signature.subarray(0, 63) },
      { ...good, body: Buffer.concat([good.body, Buffer.of(0)]) },
    ];

    const verdicts = await pool.verify(items);

    expect(verdicts.ok).toEqual([true, false, false, false, false, false, false]);
    expect(Buffer.from(verdicts.bodyHash[6] as Uint8Array).equals(sha(items[6]!.body))).toBe(true);
  });

  it('answers an empty request without a worker round trip', async () => {
    expect(await pool.verify([])).toEqual({ ok: [], bodyHash: [] });
  });

  it('refuses work once closed, with a typed error', async () => {
    const closing = new VerifyPool(1);
    await closing.close();
    await expect(closing.verify([signedItem(keys[0] as SigningKey, 'record')])).rejects.toThrow(
      VerifyPoolError,
    );
  });
});
