/**
 * The terminal's own settings that the merchant chooses (language, theme): one row per
 * setting, kept in the ledger file so a backup carries them with everything else.
 */
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
  value TEXT NOT NULL CHECK (length(value) <= 1000)
) STRICT;
`;
