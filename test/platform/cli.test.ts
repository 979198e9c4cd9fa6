import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../platform/cli/run';

function cli(env: NodeJS.ProcessEnv) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

describe('operator CLI', () => {
  it('creates a token (printed once), rotates keys and reports status', async () => {
    const run = cli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tapsafe-cli-')) });
    const created = await run('create-operator-token', '--label', 'night shift');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^tsop\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);

    const before = JSON.parse((await run('status')).out) as {
      issuerKeys: { keyId: string; active: boolean }[];
    };
    expect(before.issuerKeys).toHaveLength(1);
    const rotated = await run('rotate-keys', '--retire-after-days', '30');
    expect(rotated.code).toBe(0);
    const after = JSON.parse((await run('status')).out) as {
      issuerKeys: { keyId: string; active: boolean; retiredAt: number | null }[];
      counts: { operatorTokens: number };
    };
    expect(after.issuerKeys).toHaveLength(2);
    expect(after.issuerKeys[0]?.active).toBe(true);
    expect(after.issuerKeys[1]).toMatchObject({
      keyId: before.issuerKeys[0]?.keyId,
      active: false,
    });
    expect(after.counts.operatorTokens).toBe(1);
  });

  it('explains usage errors with exit code 2', async () => {
    const run = cli({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tapsafe-cli-')) });
    expect((await run('no-such-command')).code).toBe(2);
    expect(await run('create-operator-token')).toMatchObject({
      code: 2,
      err: '--label is required',
    });
    expect((await run('rotate-keys', '--retire-after-days', 'soon')).code).toBe(2);
    expect((await run('status', '--bogus')).code).toBe(2);
    expect((await run('help')).out).toContain('create-operator-token');
    expect((await cli({ PORT: 'x' })('status')).code).toBe(2);
  });

  it('serves with `npm run platform`, answers, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-serve-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'platform/cli/main.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The folder is free again: a local command can open it.
    expect((await cli({ DATA_DIR: dataDir })('status')).code).toBe(0);
  }, 60_000);
});
