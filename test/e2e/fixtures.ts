// The e2e tests' fixtures: `host` starts `npm start`'s script as a user would (browser host,
// demo mode) with a data folder, port and Electron lookup of the test's own, and stops it
// after the test; `terminal` is a page opened on its URL, waiting until the cashier's screen
// is there; `rpc` is a WebSocket client of the same host, for what the demo audience's other
// tools (not this page) would do.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { openSocket, type MessageSocket } from '../app/helpers';

const projectRoot = resolve(import.meta.dirname, '../..');
const urlLine = /^Tapsafe terminal: open (http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))$/;

export interface Host {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly origin: string;
}

export interface Rpc {
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
}

export async function startHost(dataDir: string): Promise<{ host: Host; stop(): Promise<void> }> {
  const child = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: projectRoot,
    detached: true, // its own process group: stop() ends npx, tsx and node together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TAPSAFE_DATA_DIR: dataDir,
      TAPSAFE_PORT: '0',
      TAPSAFE_NO_BUILD: '1',
      ELECTRON_OVERRIDE_DIST_PATH: join(dataDir, 'no-electron-here'),
    },
  });
  const lines: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const match = await new Promise<RegExpExecArray>((resolveUrl, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const found = urlLine.exec(line);
      if (found !== null) resolveUrl(found);
    });
    child.once('exit', (code) => reject(new Error(`start exited (${code}): ${lines.join('\n')}`)));
  });
  const [, url, port, token] = match;
  const host = {
    url: url!,
    port: Number(port),
    token: token!,
    origin: `http://127.0.0.1:${port}`,
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGINT');
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 6_000);
    await exited;
    clearTimeout(killer);
  };
  return { host, stop };
}

/** Waits until the page shows the cashier's screen connected to its terminal. */
export async function openTerminal(page: Page, host: Host): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('tab', { name: /Cashier|收银/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /Amount|金额/ })).toBeFocused();
}

export const test = base.extend<{ host: Host; terminal: Page; rpc: Rpc }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-e2e-'));
    const started = await startHost(dataDir);
    try {
      await use(started.host);
    } finally {
      await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  terminal: async ({ page, host }, use) => {
    await openTerminal(page, host);
    await use(page);
  },
  rpc: async ({ host }, use) => {
    const attempt = await openSocket(
      `ws://127.0.0.1:${host.port}/rpc?token=${host.token}`,
      host.origin,
    );
    if (!attempt.opened) throw new Error(`the host refused the test's socket (${attempt.status})`);
    const socket: MessageSocket = attempt.socket;
    let id = 0;
    await use({
      call: async <T>(method: string, params?: unknown) => {
        const reply = (await socket.request(++id, method, params)) as
          { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
        if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
        return reply.result;
      },
    });
    socket.close();
  },
});

export { expect };
