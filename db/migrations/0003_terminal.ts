/**
 * The terminal's trust set-up (docs/protocol.md §7.1): who it is, the certificates the
 * platform issued it (every one kept until long expired: a renewal does not end the
 * previous one), the issuer keys it trusts, the parameters in force, and what the last
 * sync found. The private key is not here: it is sealed in a file of its own.
 */
export const sql = `
CREATE TABLE terminal_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  merchant_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  public_key BLOB NOT NULL CHECK (length(public_key) = 33),
  platform_url TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL,
  parameters TEXT NOT NULL CHECK (json_valid(parameters)),
  suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  suspended_at INTEGER,
  -- The highest hotlist version ever applied: a list below it is refused even if the
  -- hotlist file is lost.
  hotlist_version INTEGER NOT NULL DEFAULT 0 CHECK (hotlist_version >= 0),
  last_sync_at INTEGER,
  last_sync_outcome TEXT,
  last_sync_message TEXT,
  last_success_at INTEGER
) STRICT;

CREATE TABLE terminal_certificates (
  serial INTEGER PRIMARY KEY,
  envelope BLOB NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_until INTEGER NOT NULL CHECK (valid_until >= valid_from),
  stored_at INTEGER NOT NULL
) STRICT;

CREATE TABLE trust_keys (
  key_id BLOB PRIMARY KEY CHECK (length(key_id) = 8),
  public_key BLOB NOT NULL CHECK (length(public_key) = 33),
  retired_at INTEGER
) STRICT;
`;
