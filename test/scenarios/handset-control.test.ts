// The handset CLI as a user drives it: usage without side effects, PORT, the ID number,
// and one owner per phone folder — a running `handset run` receives the CLI's events
// through its control channel, anyone else is refused clearly.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../platform/embedded';
import { operatorClient } from './support/rig';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'handset/cli/main.ts');
const PASSWORD = 'pw-control-1';
const ID_NUMBER = 'P-1234567';

interface Result {
  readonly code: number;
  readonly out: string;
}

/** One CLI call; `env` replaces the platform-related variables of this process. */
function handset(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const clean = { ...process.env };
  for (const name of ['TAPSAFE_PLATFORM_URL', 'PORT', 'TAPSAFE_USER_ID_NUMBER']) {
    delete clean[name];
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd: ROOT, env: { ...clean, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** Resolves once the child's stdout (so far and to come) matches `pattern`. */
function waitForOutput(child: ChildProcess, seen: () => string, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.stdout?.off('data', check);
      reject(new Error(`no ${String(pattern)} in:\n${seen()}`));
    }, 20_000);
    const check = () => {
      if (!pattern.test(seen())) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve();
    };
    child.stdout?.on('data', check);
    check();
  });
}

describe('handset CLI: usage, PORT, ID number, one owner per phone folder', () => {
  let platform: EmbeddedPlatform;
  let dir: string;
  let port: string;

  beforeAll(async () => {
    platform = await startEmbeddedPlatform({});
    port = new URL(platform.url).port;
    dir = mkdtempSync(join(tmpdir(), 'tapsafe-control-'));
    const operator = operatorClient(platform.url, await platform.createOperatorToken('cli'));
    for (const [accountId, extra] of [
      ['ACC-RUN', {}],
      ['ACC-ID', { idNumber: ID_NUMBER }],
    ] as const) {
      const { status } = await operator('POST', '/v1/accounts', {
        accountId,
        name: accountId,
        password: PASSWORD,
        balance: 10_000,
        ...extra,
      });
      expect(status).toBe(201);
    }
  });

  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its usage for help, --help and nothing, and leaves no folder after an error', async () => {
    for (const args of [['help'], ['--help'], []]) {
      const result = await handset(args);
      expect(result).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: /) as string });
    }
    const unknown = await handset(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/^unknown command fly\n\nusage: /);

    const phone = join(dir, 'never', 'made');
    const usage = await handset(['activate', '--phone', phone]);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/--account is required/);
    const refused = await handset(
      ['activate', '--phone', phone, '--account', 'ACC-RUN', '--password', 'wrong password'],
      { PORT: port },
    );
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/registration_mismatch/);
    const elsewhere = await handset(['status', '--phone', phone]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.out).toMatch(/there is no phone in/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('finds the platform on PORT, and activates with the ID number on file', async () => {
    const phone = join(dir, 'with-id');
    const args = ['activate', '--phone', phone, '--account', 'ACC-ID', '--password', PASSWORD];
    const missing = await handset(args, { PORT: port });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/ID number is missing.*--id-number or TAPSAFE_USER_ID_NUMBER/);
    expect(existsSync(phone)).toBe(false);

    const wrong = await handset([...args, '--id-number', 'P-0000000'], { PORT: port });
    expect(wrong.out).toMatch(/the ID number does not match the registration/);
    expect(wrong.out).not.toContain(ID_NUMBER);

    const activated = await handset(args, { PORT: port, TAPSAFE_USER_ID_NUMBER: ID_NUMBER });
    expect(activated).toMatchObject({
      code: 0,
      out: expect.stringMatching(/state=active/) as string,
    });
  });

  it('forwards a SIM swap to the running phone, and refuses an owner without a channel', async () => {
    const phone = join(dir, 'runner');
    const onPlatform = ['--phone', phone, '--platform', platform.url];
    const activated = await handset([
      'activate',
      ...onPlatform,
      '--account',
      'ACC-RUN',
      '--password',
      PASSWORD,
    ]);
    expect(activated.code).toBe(0);

    // No vpcd reader listens on port 1: the card keeps retrying, the phone runs regardless.
    const run = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'run', ...onPlatform, '--vpcd', '127.0.0.1:1'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    run.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    run.stderr.resume();
    const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
    try {
      // At once, while `run` starts: whichever takes the folder first, neither is refused.
      const status = await handset(['status', '--phone', phone]);
      expect(status).toMatchObject({
        code: 0,
        out: expect.stringMatching(/state=active/) as string,
      });
      await waitForOutput(run, () => out, /running 1 phone/);
      const swapped = await handset(['swap-sim', '--phone', phone, '--imsi', '001019999999999']);
      expect(swapped.code).toBe(0);
      expect(swapped.out).toMatch(/state=locked.*imsi=001019999999999/);
      // The running phone itself saw it (S3), not a second copy of the folder.
      await waitForOutput(run, () => out, /state=locked.*imsi=001019999999999/);

      const second = await handset(['run', ...onPlatform, '--vpcd', '127.0.0.1:1']);
      expect(second.code).toBe(1);
      expect(second.out).toMatch(
        /is in use by `handset run` \(pid \d+\): a phone runs in one `handset run` at a time/,
      );
    } finally {
      run.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(join(phone, 'phone.lock'))).toBe(false);

    const after = await handset(['status', '--phone', phone]);
    expect(after.out).toMatch(/state=locked.*imsi=001019999999999/);
    const identity = JSON.parse(readFileSync(join(phone, 'identity.json'), 'utf8')) as {
      imsi: string;
    };
    expect(identity.imsi).toBe('001019999999999');

    // A live owner without a control channel (here: this test process) is refused clearly.
    writeFileSync(join(phone, 'phone.lock'), `${process.pid}\nhandset status\n`);
    const busy = await handset(['power-on', '--phone', phone]);
    expect(busy.code).toBe(1);
    expect(busy.out).toContain(
      `phone folder ${phone} is in use by \`handset status\` (pid ${process.pid}); try again once it has ended`,
    );
    // A lock left by a process that is gone is taken over.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(phone, 'phone.lock'), `${dead}\nhandset run\n`);
    expect((await handset(['status', '--phone', phone])).code).toBe(0);
  });
});
