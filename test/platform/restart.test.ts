import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../platform/db/data-dir-lock';
import { startEmbeddedPlatform } from '../../platform/embedded';
import { IssuerKeys } from '../../platform/keys/issuer-keys';
import { ManualClock } from '../../platform/clock';
import { openPlatform } from '../../platform/start';
import { backends, useTestDatabases } from './support/databases';
import { insertAccount } from './support/fixtures';
import { T0 } from './support/platform';

const freshDir = () => mkdtempSync(join(tmpdir(), 'tapsafe-platform-'));

describe('a platform on a PGlite data folder', () => {
  it('keeps its keys, tokens and data across a restart', async () => {
    const dataDir = freshDir();
    const first = await startEmbeddedPlatform({ dataDir });
    const token = await first.createOperatorToken('ops');
    const keyId = (await first.platform.state.keys.activeIssuer()).keyIdHex;
    await insertAccount(first.platform.state.db, 'alice');
    await first.close();

    const second = await startEmbeddedPlatform({ dataDir });
    try {
      expect((await second.platform.state.keys.activeIssuer()).keyIdHex).toBe(keyId);
      const account = await second.platform.state.db
        .selectFrom('accounts')
        .selectAll()
        .executeTakeFirst();
      expect(account?.account_id).toBe('alice');
      const whoami = await fetch(`${second.url}/v1/operator/whoami`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(whoami.status).toBe(200);
      expect(second.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await second.close();
    }
  });

  it('refuses a folder another live platform holds, and takes over a stale lock', async () => {
    const dataDir = freshDir();
    const first = await openPlatform({ dataDir });
    try {
      await expect(openPlatform({ dataDir })).rejects.toMatchObject({
        name: 'DatabaseSetupError',
        code: 'data_dir_in_use',
      });
    } finally {
      await first.close();
    }
    // A lock left by a process that has exited.
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dataDir, LOCK_FILE), `${dead}\n`);
    const again = await openPlatform({ dataDir });
    await again.close();
  });

  it('serves in memory when no folder is given', async () => {
    const embedded = await startEmbeddedPlatform();
    try {
      const health = await fetch(`${embedded.url}/healthz`);
      expect(health.status).toBe(200);
      expect(embedded.platform.state.masterKeyOrigin).toBe('ephemeral');
    } finally {
      await embedded.close();
    }
  });
});

describe.each(backends())('reopening the same database on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('finds the same issuer key and data', async () => {
    const masterKey = Buffer.alloc(32, 9);
    const clock = new ManualClock(T0);
    const db = await databases.fresh();
    const keyId = (await (await IssuerKeys.open({ db, clock, masterKey })).activeIssuer()).keyIdHex;
    await insertAccount(db, 'bob');
    await db.destroy();
    const reopened = await databases.reopen(db);
    expect(
      (await (await IssuerKeys.open({ db: reopened, clock, masterKey })).activeIssuer()).keyIdHex,
    ).toBe(keyId);
    expect(await reopened.selectFrom('accounts').select('account_id').execute()).toEqual([
      { account_id: 'bob' },
    ]);
  });
});
