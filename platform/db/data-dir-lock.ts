/**
 * PGlite is one process's database: two processes opening the same folder would corrupt
 * it. The platform takes `<dataDir>/platform.lock` (holding its pid) before opening and
 * refuses a folder held by a live process. A lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSetupError } from '../errors';

export const LOCK_FILE = 'platform.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or throws DatabaseSetupError 'data_dir_in_use'. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new DatabaseSetupError(
        'data_dir_in_use',
        `the data folder ${dataDir} is in use by process ${holder}` +
          (holder === process.pid ? ' (this process: close the other platform first)' : '') +
          `; stop it, or talk to it through its HTTP API`,
      );
    }
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new DatabaseSetupError('data_dir_in_use', `could not lock ${dataDir}`);
}
