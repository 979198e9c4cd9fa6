/**
 * One thread of the settlement verify pool (verify-pool.ts). Plain JavaScript over
 * node:crypto on purpose: a worker thread does not inherit the tsx / vite loader that runs
 * the TypeScript sources, and this file needs nothing else, so the same file works under
 * `npm run platform`, vitest and the benchmark without a bootstrap.
 *
 * A task is one transferred ArrayBuffer of items, each:
 *   u8 domain index (into workerData.domains) | 33-byte compressed P-256 key |
 *   64-byte P1363 signature | u32 BE body length | body
 * The signed message is `domain 0x00 body`, as protocol/objects/signed.ts defines it.
 * The answer is one byte per item: 1 verifies, 0 does not (a bad key is a 0, never a throw).
 */
import { createPublicKey, ECDH, verify } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const prefixes = workerData.domains.map((domain) =>
  Buffer.concat([Buffer.from(domain, 'ascii'), Buffer.of(0)]),
);
const keys = new Map();
const KEY_CACHE_LIMIT = 16_384;

function importKey(compressed) {
  const hex = compressed.toString('hex');
  const cached = keys.get(hex);
  if (cached !== undefined) return cached;
  let key;
  try {
    const point = Buffer.from(
      ECDH.convertKey(compressed, 'prime256v1', undefined, undefined, 'uncompressed'),
    );
    key = createPublicKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
    });
  } catch {
    key = null;
  }
  if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
  keys.set(hex, key);
  return key;
}

function verifyAll(buffer, count) {
  const bytes = Buffer.from(buffer);
  const out = new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[bytes[at]];
    const key = importKey(bytes.subarray(at + 1, at + 34));
    const signature = bytes.subarray(at + 34, at + 98);
    const length = bytes.readUInt32BE(at + 98);
    const body = bytes.subarray(at + 102, at + 102 + length);
    at += 102 + length;
    if (key === null || prefix === undefined) continue;
    try {
      const message = Buffer.concat([prefix, body]);
      out[i] = verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  return out;
}

parentPort.on('message', ({ id, buffer, count }) => {
  const result = verifyAll(buffer, count);
  parentPort.postMessage({ id, result }, [result.buffer]);
});
