/**
 * The first ledger schema. Every table is STRICT, so an amount is an INTEGER or the write
 * fails; money is integer minor units throughout. Payments and voids share one hash chain:
 * `chain_seq` numbers both in the order stored (1, 2, 3, …) and `chain_tip` holds the head,
 * so a deleted last entry is noticed too.
 */
/** `PRAGMA application_id` of a Tapsafe ledger: 'TPSL', so another SQLite file is refused. */
export const LEDGER_APPLICATION_ID = 0x5450534c;

export const sql = `
PRAGMA application_id = ${LEDGER_APPLICATION_ID};

CREATE TABLE settlement_batches (
  batch_id BLOB PRIMARY KEY CHECK (length(batch_id) = 16),
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL CHECK (period_end >= period_start),
  chain_head BLOB NOT NULL CHECK (length(chain_head) = 32),
  state TEXT NOT NULL CHECK (state IN ('cut', 'uploaded', 'acknowledged')),
  cut_at INTEGER NOT NULL,
  uploaded_at INTEGER,
  acknowledged_at INTEGER
) STRICT;

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  wallet_id BLOB NOT NULL CHECK (length(wallet_id) = 16),
  counter INTEGER NOT NULL CHECK (counter >= 0),
  amount INTEGER NOT NULL CHECK (amount >= 1),
  currency INTEGER NOT NULL,
  merchant_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  terminal_time INTEGER NOT NULL,
  nonce BLOB NOT NULL,
  record BLOB NOT NULL,
  body_hash BLOB NOT NULL CHECK (length(body_hash) = 32),
  status TEXT NOT NULL CHECK (status IN ('approved', 'voided', 'settled')),
  batch_id BLOB REFERENCES settlement_batches (batch_id),
  chain_seq INTEGER NOT NULL UNIQUE CHECK (chain_seq >= 1),
  chain_hash BLOB NOT NULL CHECK (length(chain_hash) = 32),
  created_at INTEGER NOT NULL,
  UNIQUE (wallet_id, counter)
) STRICT;
CREATE INDEX payments_unbatched ON payments (batch_id) WHERE batch_id IS NULL;

CREATE TABLE voids (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
  wallet_id BLOB NOT NULL CHECK (length(wallet_id) = 16),
  counter INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 1),
  voided_at INTEGER NOT NULL,
  entry_hash BLOB NOT NULL CHECK (length(entry_hash) = 32),
  batch_id BLOB REFERENCES settlement_batches (batch_id),
  chain_seq INTEGER NOT NULL UNIQUE CHECK (chain_seq >= 1),
  chain_hash BLOB NOT NULL CHECK (length(chain_hash) = 32)
) STRICT;
CREATE INDEX voids_unbatched ON voids (batch_id) WHERE batch_id IS NULL;

CREATE TABLE chain_tip (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  head BLOB NOT NULL CHECK (length(head) = 32)
) STRICT;
INSERT INTO chain_tip (id, seq, head) VALUES (1, 0, zeroblob(32));

CREATE TABLE wallet_counters (
  wallet_id BLOB PRIMARY KEY CHECK (length(wallet_id) = 16),
  highest INTEGER NOT NULL
) STRICT;

CREATE TABLE pending_requests (
  nonce BLOB PRIMARY KEY,
  request BLOB NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 1),
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'completed', 'abandoned')),
  resolved_at INTEGER
) STRICT;
`;
