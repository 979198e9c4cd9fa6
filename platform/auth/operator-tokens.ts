/**
 * Operator tokens: `tsop.<tokenId>.<secret>`, tokenId 8 random bytes in hex (public, the
 * row key), secret 32 random bytes in base64url. Only sha256(secret) is stored, so the
 * database never holds a usable token; a new token is shown once. The stored hash is
 * compared in constant time.
 *
 * Bootstrap: a server started while no live operator token exists makes a one-time
 * bootstrap token (scope 'bootstrap') and prints it once. It may only create an operator
 * token (POST /v1/operator/tokens, the CLI's create-operator-token), which consumes it; the
 * first operator token however made revokes it too. A later start with still no operator
 * token replaces it, so a lost one is recovered by restarting.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { OperatorTokenScope, PlatformDatabase } from '../db/schema';

const TOKEN = /^tsop\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'ascii').digest();
const BOOTSTRAP_LABEL = 'bootstrap';

export interface OperatorTokenIdentity {
  readonly tokenId: string;
  readonly label: string;
  readonly scope: OperatorTokenScope;
}

export interface NewOperatorToken {
  readonly token: string;
  readonly tokenId: string;
}

async function insertToken(
  db: Kysely<PlatformDatabase>,
  { label, at, scope }: { label: string; at: number; scope: OperatorTokenScope },
): Promise<NewOperatorToken> {
  const tokenId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('operator_tokens')
    .values({
      token_id: tokenId,
      token_hash: digest(secret),
      label,
      created_at: at,
      revoked_at: null,
      scope,
    })
    .execute();
  return { token: `tsop.${tokenId}.${secret}`, tokenId };
}

/** Revokes the live bootstrap token, if any; true when there was one. */
async function revokeBootstrapTokens(db: Kysely<PlatformDatabase>, at: number): Promise<boolean> {
  const result = await db
    .updateTable('operator_tokens')
    .set({ revoked_at: at })
    .where('scope', '=', 'bootstrap')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A new operator token; it ends the bootstrap (a live bootstrap token is revoked). */
export async function createOperatorToken(
  db: Kysely<PlatformDatabase>,
  { label, at }: { label: string; at: number },
): Promise<NewOperatorToken> {
  const trimmed = label.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw new RangeError('label must be 1..100 characters');
  await revokeBootstrapTokens(db, at);
  return insertToken(db, { label: trimmed, at, scope: 'operator' });
}

/**
 * At a server's start: while no live operator token exists, a new bootstrap token (any
 * earlier one revoked) for the caller to print once; undefined otherwise. The table lock
 * makes nodes starting together on one database issue one after the other.
 */
export async function issueBootstrapToken(
  db: Kysely<PlatformDatabase>,
  at: number,
): Promise<NewOperatorToken | undefined> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table operator_tokens in share row exclusive mode`.execute(trx);
    const live = await trx
      .selectFrom('operator_tokens')
      .select('token_id')
      .where('scope', '=', 'operator')
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (live !== undefined) return undefined;
    await revokeBootstrapTokens(trx, at);
    return insertToken(trx, { label: BOOTSTRAP_LABEL, at, scope: 'bootstrap' });
  });
}

/** Ends the live token `tokenId` of `scope`; false when there is none. */
async function endLiveToken(
  db: Kysely<PlatformDatabase>,
  tokenId: string,
  scope: 'bootstrap' | 'operator',
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('operator_tokens')
    .set({ revoked_at: at })
    .where('token_id', '=', tokenId)
    .where('scope', '=', scope)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Uses up the bootstrap token `tokenId`; false when it is no longer live (used or replaced). */
export function consumeBootstrapToken(
  db: Kysely<PlatformDatabase>,
  tokenId: string,
  at: number,
): Promise<boolean> {
  return endLiveToken(db, tokenId, 'bootstrap', at);
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
    .select(['token_hash', 'label', 'revoked_at', 'scope'])
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  // Hash even for an unknown id, so both paths cost the same.
  const presentedHash = digest(secret);
  const stored = row?.token_hash ?? Buffer.alloc(32);
  const matches = timingSafeEqual(presentedHash, stored);
  if (row === undefined || !matches || row.revoked_at !== null) return undefined;
  return { tokenId, label: row.label, scope: row.scope };
}

/** Revokes a live operator token (not the bootstrap one); false when there is none. */
export function revokeOperatorToken(
  db: Kysely<PlatformDatabase>,
  tokenId: string,
  at: number,
): Promise<boolean> {
  return endLiveToken(db, tokenId, 'operator', at);
}
