// `npm run handset` as a user runs it: a child process per command against a real
// embedded platform on 127.0.0.1, the phone's state kept in its folder between commands.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../platform/embedded';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../handset/cli/main.ts');
const TSX = join(import.meta.dirname, '../../node_modules/.bin/tsx');

describe('npm run handset', () => {
  let platform: EmbeddedPlatform;
  let dir: string;

  beforeAll(async () => {
    platform = await startEmbeddedPlatform({});
    dir = mkdtempSync(join(tmpdir(), 'tapsafe-cli-'));
    const token = await platform.createOperatorToken('cli test');
    const response = await fetch(new URL('/v1/accounts', platform.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        accountId: 'ACC-CLI',
        name: 'Cli',
        password: 'pw-cli-1',
        balance: 12_345,
      }),
    });
    expect(response.status).toBe(201);
  });

  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const handset = async (...args: string[]) => {
    try {
      const { stdout } = await run(TSX, [
        CLI,
        ...args,
        '--phone',
        join(dir, 'p1'),
        '--platform',
        platform.url,
      ]);
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: `${failed.stdout}${failed.stderr}` };
    }
  };

  it('activates a phone, keeps its identity, and locks it when the SIM changes', async () => {
    const wrong = await handset('activate', '--account', 'ACC-CLI', '--password', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/registration/);

    const activated = await handset('activate', '--account', 'ACC-CLI', '--password', 'pw-cli-1');
    expect(activated.code).toBe(0);
    expect(activated.out).toMatch(/state=active/);
    expect(activated.out).toMatch(/balance=123\.45/);

    const identity = JSON.parse(readFileSync(join(dir, 'p1', 'identity.json'), 'utf8')) as {
      imei: string;
    };
    expect((await handset('status')).out).toContain(`imei=${identity.imei}`);

    const swapped = await handset('swap-sim', '--imsi', '001019999999999');
    expect(swapped.code).toBe(0);
    expect(swapped.out).toMatch(/state=locked/);
    expect((await handset('status')).out).toMatch(/state=locked.*imsi=001019999999999/);
  });

  it('explains its usage on a wrong command', async () => {
    const result = await handset('fly');
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/unknown command fly[\s\S]*usage: npm run handset/);
  });
});
