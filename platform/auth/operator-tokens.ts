/**
 * Operator tokens: `tsop.<tokenId>.<secret>`, tokenId 8 random bytes in hex (public, the
 * row key), secret 32 random bytes in base64url. Only sha256(secret) is stored, so the
 * database never holds a usable token; the CLI prints a new token once. The stored hash is
 * compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../db/schema';

const TOKEN = /^tsop\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'ascii').digest();

export interface OperatorTokenIdentity {
  readonly tokenId: string;
  readonly label: string;
}

export async function createOperatorToken(
  db: Kysely<PlatformDatabase>,
  { label, at }: { label: string; at: number },
): Promise<{ token: string; tokenId: string }> {
  const trimmed = label.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw new RangeError('label must be 1..100 characters');
  const tokenId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('operator_tokens')
    .values({
      token_id: tokenId,
      token_hash: digest(secret),
      label: trimmed,
      created_at: at,
      revoked_at: null,
    })
    .execute();
  return { token: `tsop.${tokenId}.${secret}`, tokenId };
}

/** The token's identity if it is well-formed, known and not revoked; undefined otherwise. */
export async function verifyOperatorToken(
  db: Kysely<PlatformDatabase>,
  presented: string,
): Promise<OperatorTokenIdentity | undefined> {
  const match = TOKEN.exec(presented);
  if (match === null) return undefined;
  const [, tokenId = '', secret = ''] = match;
  const row = await db
    .selectFrom('operator_tokens')
    .select(['token_hash', 'label', 'revoked_at'])
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  // Hash even for an unknown id, so both paths cost the same.
  const presentedHash = digest(secret);
  const stored = row?.token_hash ?? Buffer.alloc(32);
  const matches = timingSafeEqual(presentedHash, stored);
  if (row === undefined || !matches || row.revoked_at !== null) return undefined;
  return { tokenId, label: row.label };
}

export async function revokeOperatorToken(
  db: Kysely<PlatformDatabase>,
  tokenId: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('operator_tokens')
    .set({ revoked_at: at })
    .where('token_id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
