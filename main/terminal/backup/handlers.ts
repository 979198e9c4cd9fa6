// Backup and restore of the ledger, as the settings screen calls them.
import type { Handlers } from '../api/dispatch';
import type { BackupService } from './service';

export function backupHandlers(
  backup: BackupService,
): Pick<Handlers, 'backup.create' | 'backup.restore'> {
  return {
    'backup.create': ({ path }) => backup.create(path),
    'backup.restore': ({ path }) => backup.restore(path),
  };
}
