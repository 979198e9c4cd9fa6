/**
 * One process owns a phone folder at a time: two writers (a `handset run` and a CLI event
 * on the same phone) would each replace wallet.dat from their own view of it, and the last
 * rename wins. The owner holds `<folder>/phone.lock`, created atomically (O_EXCL) with its
 * pid and what it runs; a lock whose process is gone is taken over.
 *
 * The platform's data-folder lock (platform/db/data-dir-lock.ts) works the same way, but
 * handset/ may import only protocol/ (eslint.config.js) and protocol/ is the wire library,
 * no place for file locks: hence this small twin, with the handset's own error.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'phone.lock';

/** The folder is held by a live process; `owner` says what it runs (e.g. "handset run"). */
export class PhoneFolderInUseError extends Error {
  override readonly name = 'PhoneFolderInUseError';

  constructor(
    readonly folder: string,
    readonly pid: number,
    readonly owner: string,
  ) {
    super(`phone folder ${folder} is in use by \`${owner}\` (pid ${pid})`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the folder's lock now, or undefined when nobody live does. */
export function folderOwner(folder: string): { pid: number; owner: string } | undefined {
  let text: string;
  try {
    text = readFileSync(join(folder, LOCK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const [pidLine = '', owner = 'another process'] = text.split('\n');
  const pid = Number.parseInt(pidLine.trim(), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, owner: owner.trim() || 'another process' };
}

/**
 * Takes the folder (which must exist) for this process, or throws PhoneFolderInUseError.
 * `owner` is shown to whoever is refused. Returns the release function.
 */
export function lockPhoneFolder(folder: string, owner: string): () => void {
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n${owner}\n`);
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
    const holder = folderOwner(folder);
    if (holder !== undefined) throw new PhoneFolderInUseError(folder, holder.pid, holder.owner);
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new PhoneFolderInUseError(folder, 0, 'another process');
}
