// `npm run dist` on a machine that cannot download Electron: one line saying what it needs
// and what each system builds, exit 1, no stack trace, nothing built.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const projectRoot = resolve(import.meta.dirname, '../..');

it('says in one line what packaging needs when Electron cannot be downloaded', () => {
  const result = spawnSync('npx', ['tsx', 'scripts/dist.ts'], {
    cwd: projectRoot,
    encoding: 'utf8',
    // A mirror nobody listens on: the outcome does not depend on this machine's network.
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/electron/' },
    timeout: 60_000,
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^npm run dist needs the network: .*http:\/\/127\.0\.0\.1:9\/electron\//,
  );
  expect(lines[0]).toMatch(/Linux builds AppImage and deb, macOS builds dmg.*Windows builds nsis/);
  expect(result.stdout).not.toMatch(/\n\s+at /);
}, 90_000);
