/**
 * An operator's first hour with the real server (platform/cli/main.ts as a child process):
 * the first start prints a one-time bootstrap token with the command to use it; in another
 * terminal (the CLI as its own process) that command makes the first operator token while
 * the server holds the database, that token adds a user, and the user's phone activates
 * (the handset CLI): README.md's platform section. The bootstrap token then works no more,
 * and no later start prints one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from './support/databases';
import { HANDSET_CLI, runCliProcess } from './support/cli-process';
import { usePlatformProcesses } from './support/platform-process';

const PRINTED =
  /^ {2}TAPSAFE_PLATFORM_URL=(\S+) TAPSAFE_OPERATOR_TOKEN=(tsop\.[0-9a-f]{16}\.\S{43}) npm run platform -- create-operator-token --label <your name>$/m;
const PASSWORD = 'correct horse battery';
const TOKEN = /^tsop\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/;

describe.each(backends())('the first operator token, from a running platform on %s', (backend) => {
  const processes = usePlatformProcesses();

  it('comes from the bootstrap token printed once at the first start', async () => {
    const store = await processes.store(backend);
    const server = await processes.start(store.env);
    const printed = PRINTED.exec(server.output());
    if (printed === null) throw new Error(`no bootstrap token printed:\n${server.output()}`);
    const [, url = '', bootstrap = ''] = printed;
    expect(url).toBe(server.url);

    if (!store.sharedAccess) {
      // Straight to the database is refused while the server holds the folder, saying how instead.
      const refused = await runCliProcess(['create-operator-token', '--label', 'alice'], store.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('in use by process');
      expect(refused.stderr).toContain('set TAPSAFE_OPERATOR_TOKEN');
    }

    // The printed command, in another terminal.
    const created = await runCliProcess(['create-operator-token', '--label', 'alice'], {
      ...store.env,
      TAPSAFE_PLATFORM_URL: url,
      TAPSAFE_OPERATOR_TOKEN: bootstrap,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(TOKEN);
    expect(created.stderr).toContain('export TAPSAFE_OPERATOR_TOKEN=');
    const operator = { TAPSAFE_PLATFORM_URL: url, TAPSAFE_OPERATOR_TOKEN: created.stdout };

    const added = await runCliProcess(
      ['add-user', '--account', 'ACC-1', '--name', 'Alice', '--balance', '5000'],
      { ...operator, TAPSAFE_USER_PASSWORD: PASSWORD },
    );
    expect(added, added.stderr).toMatchObject({
      code: 0,
      stdout: 'account ACC-1 registered, e-cash 5000',
    });
    // The user's phone activates (the handset CLI, as the README runs it).
    const phoneDir = mkdtempSync(join(tmpdir(), 'tapsafe-first-hour-phone-'));
    processes.defer(() => rmSync(phoneDir, { recursive: true, force: true }));
    const activated = await runCliProcess(
      ['activate', '--phone', phoneDir, '--account', 'ACC-1', '--password', PASSWORD],
      { TAPSAFE_PLATFORM_URL: url },
      HANDSET_CLI,
    );
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toMatch(/state=active .*\(activated\)/);
    const shown = await runCliProcess(['show-account', 'ACC-1'], operator);
    expect(JSON.parse(shown.stdout)).toMatchObject({ wallets: [{ status: 'active' }] });

    // Used up: neither another token nor anything else.
    const again = await runCliProcess(['create-operator-token', '--label', 'mallory'], {
      TAPSAFE_PLATFORM_URL: url,
      TAPSAFE_OPERATOR_TOKEN: bootstrap,
    });
    expect(again).toMatchObject({
      code: 1,
      stderr: '401 token_invalid: operator token not accepted',
    });

    // A restart prints no bootstrap token, and the first one was printed once only.
    await server.stop();
    const restarted = await processes.start(store.env);
    const whoami = await fetch(`${restarted.url}/v1/operator/whoami`, {
      headers: { authorization: `Bearer ${created.stdout}` },
    });
    expect(await whoami.json()).toMatchObject({ label: 'alice' });
    expect(restarted.output()).not.toContain('bootstrap');
    expect(server.output().split(bootstrap)).toHaveLength(2);
    expect(restarted.output()).not.toContain(bootstrap);
  }, 120_000);
});
