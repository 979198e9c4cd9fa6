/** Whether this process may mount a tmpfs in a private mount namespace (root with unshare). */
import { spawnSync } from 'node:child_process';

export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync(
    'unshare',
    ['--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'],
    {
      stdio: 'ignore',
    },
  );
  return probe.status === 0;
}
