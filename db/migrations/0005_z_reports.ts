/**
 * Z reports: one per closed settlement period (batch), numbered 1, 2, … in the order the
 * periods closed, stored once with the exact text printed, so printing it again gives the
 * same bytes. Immutable: triggers refuse any UPDATE or DELETE.
 */
export const sql = `
CREATE TABLE z_reports (
  number INTEGER PRIMARY KEY CHECK (number >= 1),
  batch_id BLOB NOT NULL UNIQUE REFERENCES settlement_batches (batch_id),
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  figures TEXT NOT NULL,
  text TEXT NOT NULL
) STRICT;
CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
  BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
  BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END;
`;
