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
 * The answer is 33 bytes per item: 1 when it verifies, 0 when not (a bad key is a 0, never
 * a throw), then the SHA-256 of the body. Settlement keys every record by that hash; the
 * worker has the body in hand already, and the main thread has enough to do.
 */
import { createPublicKey, ECDH, hash, verify } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const prefixes = workerData.domains.map((domain) =>
  Buffer.concat([Buffer.from(domain, 'ascii'), Buffer.of(0)]),
);
const keys = new Map();
const ANSWER_SIZE = 33;
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
  const out = Buffer.alloc(count * ANSWER_SIZE);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[bytes[at]];
    const key = importKey(bytes.subarray(at + 1, at + 34));
    const signature = bytes.subarray(at + 34, at + 98);
    const length = bytes.readUInt32BE(at + 98);
    const body = bytes.subarray(at + 102, at + 102 + length);
    at += 102 + length;
    out.set(hash('sha256', body, 'buffer'), i * ANSWER_SIZE + 1);
    if (key === null || prefix === undefined) continue;
    try {
      const message = Buffer.concat([prefix, body]);
      const ok = verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      out[i * ANSWER_SIZE] = ok ? 1 : 0;
    } catch {
      out[i * ANSWER_SIZE] = 0;
    }
  }
  return out;
}

parentPort.on('message', ({ id, buffer, count }) => {
  const result = verifyAll(buffer, count);
  // Buffer.alloc of this size owns its ArrayBuffer (not the shared pool), so it can move.
  parentPort.postMessage({ id, result }, [result.buffer]);
});
