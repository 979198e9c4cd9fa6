/**
 * Opening a phone folder from the CLI: which platform to talk to, the phone itself linked
 * to it, and the folder's ownership (storage/folder-lock.ts) for as long as it is open.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createPhone, type Phone } from '../phone';
import { HttpPlatformLink } from '../platform-client';
import { lockPhoneFolder } from '../storage/folder-lock';
import { CREATING, UsageError } from './commands';
import { identityPath, loadIdentity, type PhoneIdentity } from './identity';

export const DEFAULT_PLATFORM_PORT = 8787;

/**
 * `--platform`, else TAPSAFE_PLATFORM_URL, else the local platform on PORT (8787): the
 * rule `npm run platform` picks its own port by, so one PORT serves both sides.
 */
export function platformUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.TAPSAFE_PLATFORM_URL?.trim() || undefined;
  const port = env.PORT?.trim() || String(DEFAULT_PLATFORM_PORT);
  if (!/^[0-9]{1,5}$/.test(port)) throw new UsageError(`PORT must be a port number, got ${port}`);
  return flag ?? fromEnv ?? `http://127.0.0.1:${port}`;
}

export interface OpenPhone {
  readonly phone: Phone;
  readonly link: HttpPlatformLink;
  /** Stops the phone and gives the folder up. */
  close(): void;
}

/**
 * Takes the folder (PhoneFolderInUseError when another process holds it) and opens the
 * phone in it, linked to the platform: its wallet signs its own requests. `owner` is what
 * a refused process is told holds it.
 */
export function openPhone(
  dir: string,
  owner: string,
  options: { platform: string; wanted?: Partial<PhoneIdentity> },
): OpenPhone {
  const release = lockPhoneFolder(dir, owner);
  try {
    const identity = loadIdentity(dir, options.wanted);
    const link = new HttpPlatformLink({ baseUrl: options.platform });
    const phone = createPhone({ stateDir: dir, ...identity, platform: link });
    link.attach(phone.wallet);
    return {
      phone,
      link,
      close() {
        phone.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Makes sure `dir` may be used by `command`: only activate / reactivate bring a new phone
 * into being; any other command on a folder without one is refused. Returns the undo to
 * call if the command fails: it removes whatever the command created (the folder itself
 * when it did not exist), so a failure never leaves a phone folder behind.
 */
export function prepareFolder(dir: string, command: string): () => void {
  const hasPhone = existsSync(identityPath(dir));
  if (hasPhone) return () => {};
  if (!CREATING.has(command)) {
    throw new Error(
      `there is no phone in ${dir}: create one with \`npm run handset -- activate --phone ${dir} …\``,
    );
  }
  const existed = existsSync(dir);
  const before = new Set(existed ? readdirSync(dir) : []);
  // The outermost folder this call creates (parents included): the one to remove on failure.
  let created = resolve(dir);
  while (!existsSync(dirname(created))) created = dirname(created);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return () => {
    if (!existed) {
      rmSync(created, { recursive: true, force: true });
      return;
    }
    for (const entry of readdirSync(dir)) {
      if (!before.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
    }
  };
}
