// `npm run dist`: builds the bundles, then packages installers with electron-builder, which
// downloads Electron (and its tools) for each target. Without that network it says so in one
// line — what it needs and what each system can build — instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const TARGETS =
  'Linux builds AppImage and deb, macOS builds dmg (and may build the others), ' +
  'Windows builds nsis';

/** Where electron-builder fetches Electron from: ELECTRON_MIRROR or GitHub's releases. */
function downloadOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const mirror = env['ELECTRON_MIRROR']?.trim();
  return mirror !== undefined && mirror !== ''
    ? mirror
    : 'https://github.com/electron/electron/releases/';
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  const origin = downloadOrigin();
  if (!(await reachable(origin))) {
    console.error(
      `npm run dist needs the network: electron-builder downloads Electron for each target ` +
        `from ${origin} (set ELECTRON_MIRROR to use a mirror), which this machine cannot reach. ` +
        `${TARGETS}.`,
    );
    process.exit(1);
  }
  run('npx', ['electron-vite', 'build']);
  run('npx', ['electron-builder']);
}

void main();
