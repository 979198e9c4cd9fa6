/**
 * What the tap needs beyond the first schema:
 * - `pending_requests.wallet_id`: a torn tap is resolved at the next tap of the SAME wallet
 *   (docs/protocol.md 7.2 step 6), so the request is kept with the wallet it was sent to.
 *   NULL for requests stored before this migration (they can still be abandoned by nonce).
 * - `evidence_records`: records whose signature verifies but that fail the counter or the
 *   certificate's limit checks (a cloned or tampered wallet). They are declined, never
 *   credited here, and kept byte for byte so settlement can hand them to the platform,
 *   which flags the double-spend (7.2, last paragraph). Not chain entries: the chain
 *   holds what the merchant is paid for.
 */
export const sql = `
ALTER TABLE pending_requests ADD COLUMN wallet_id BLOB
  CHECK (wallet_id IS NULL OR length(wallet_id) = 16);
CREATE INDEX pending_by_wallet ON pending_requests (wallet_id) WHERE state = 'pending';

CREATE TABLE evidence_records (
  id INTEGER PRIMARY KEY,
  wallet_id BLOB NOT NULL CHECK (length(wallet_id) = 16),
  counter INTEGER NOT NULL CHECK (counter >= 0),
  amount INTEGER NOT NULL,
  reason TEXT NOT NULL,
  record BLOB NOT NULL,
  body_hash BLOB NOT NULL UNIQUE CHECK (length(body_hash) = 32),
  batch_id BLOB REFERENCES settlement_batches (batch_id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX evidence_unbatched ON evidence_records (batch_id) WHERE batch_id IS NULL;
`;
