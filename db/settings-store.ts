/** The merchant's settings (db/migrations/0006_settings.ts): small text values by key. */
import type Database from 'better-sqlite3';
import { guarded } from './errors';

export class SettingsStore {
  constructor(private readonly db: Database.Database) {}

  get(key: string): string | undefined {
    return guarded(
      'reading a setting',
      () =>
        this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
          string | undefined,
    );
  }

  set(key: string, value: string): void {
    guarded('storing a setting', () =>
      this.db
        .prepare(
          `INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        )
        .run(key, value),
    );
  }
}
