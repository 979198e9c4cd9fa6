/**
 * Settlement upload and results. A batch gets its place in the terminal's sequence (`seq`:
 * several batches may be cut in the same second after days offline, and the platform takes
 * them only in this order), its signed envelope (stored when cut, so a retry after a lost
 * answer sends the same bytes) and the last refusal, if the platform refused it. Each
 * payment and void gets the platform's outcome once the result is applied; the result
 * itself is kept as received, with the figures the terminal expected.
 */
export const sql = `
ALTER TABLE settlement_batches ADD COLUMN seq INTEGER;
UPDATE settlement_batches SET seq = rowid;
CREATE UNIQUE INDEX settlement_batches_seq ON settlement_batches (seq);
ALTER TABLE settlement_batches ADD COLUMN envelope BLOB;
ALTER TABLE settlement_batches ADD COLUMN refused_code TEXT;
ALTER TABLE settlement_batches ADD COLUMN refused_message TEXT;

ALTER TABLE payments ADD COLUMN outcome TEXT
  CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'double_spend'));
ALTER TABLE payments ADD COLUMN outcome_reason TEXT;
ALTER TABLE voids ADD COLUMN outcome TEXT
  CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'double_spend'));
ALTER TABLE voids ADD COLUMN outcome_reason TEXT;

CREATE TABLE settlement_results (
  batch_id BLOB PRIMARY KEY REFERENCES settlement_batches (batch_id),
  envelope BLOB NOT NULL,
  issuer_key_id BLOB NOT NULL,
  settled_at INTEGER NOT NULL,
  total_credited INTEGER NOT NULL CHECK (total_credited >= 0),
  expected_credited INTEGER NOT NULL,
  voids_debited INTEGER NOT NULL CHECK (voids_debited >= 0),
  received_at INTEGER NOT NULL
) STRICT;
`;
