// `npm start` on a machine without the Electron binary: one line says so, the browser host
// starts in demo mode and prints its URL, the URL serves the terminal, a sale rung up over
// the RPC is paid by a demo phone tapped on the emulated reader, and Ctrl-C ends it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../main/terminal/content-security-policy';
import { openSocket, untilStarted } from './helpers';

const projectRoot = resolve(import.meta.dirname, '../..');
const urlLine = /^Tapsafe terminal: open (http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))$/;
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-start-'));

afterEach(() => {
  // Never leave a server behind, even when an assertion failed half-way.
  if (child?.pid !== undefined && groupIsAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function groupIsAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
  }
  return condition();
}

function waitForUrl(lines: string[], started: ChildProcess): Promise<RegExpExecArray> {
  return new Promise((resolveUrl, reject) => {
    const reader = createInterface({ input: started.stdout! });
    reader.on('line', (line) => {
      lines.push(line);
      const match = urlLine.exec(line);
      if (match !== null) resolveUrl(match);
    });
    started.once('exit', (code) =>
      reject(new Error(`start exited (${code}): ${lines.join('\n')}`)),
    );
  });
}

it('falls back to the browser host with one notice, serves the URL, and exits on Ctrl-C', async () => {
  const started = spawn(process.execPath, ['scripts/run-start.js'], {
    cwd: projectRoot,
    // Its own process group, so the test can deliver Ctrl-C the way a terminal does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TAPSAFE_PORT: '0',
      // The demo's platform, phones and ledger: a folder of this test's own.
      TAPSAFE_DATA_DIR: dataDir,
      // Point Electron's lookup at an empty place: the test holds even where Electron exists.
      ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'tapsafe-no-electron-here'),
      // out/ was built by `npm test`; a rebuild here would replace it under the other tests.
      // (Where out/start is missing or stale, run-start.js runs scripts/start.ts through tsx.)
      TAPSAFE_NO_BUILD: '1',
    },
  });
  child = started;
  let stderr = '';
  started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const lines: string[] = [];

  const [, url, port, token] = await waitForUrl(lines, started);
  const notices = lines.filter((line) => /Electron binary is unavailable/.test(line));
  expect(notices).toHaveLength(1);
  expect(lines.indexOf(notices[0]!)).toBeLessThan(lines.length - 1);

  const response = await fetch(url!);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  expect(await response.text()).toContain('Tapsafe terminal');

  const attempt = await openSocket(
    `ws://127.0.0.1:${port}/rpc?token=${token}`,
    `http://127.0.0.1:${port}`,
  );
  if (!attempt.opened) throw new Error(`refused with ${attempt.status}`);
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const socket = attempt.socket;
  // The URL is printed as soon as the page is served; the demo world may still be starting.
  await untilStarted(socket, 100);
  expect(await socket.request(1, 'app.info')).toEqual({
    id: 1,
    ok: true,
    result: {
      version,
      mode: 'demo',
      transport: 'websocket',
      merchantId: 'DEMO-MERCHANT',
      terminalId: 'DEMO-T1',
    },
  });

  // A sale, as the cashier and the demo panel make it: ring up, tap a demo phone.
  const demo = (await socket.request(2, 'demo.state')) as {
    result: { phones: { phoneId: string; balance: number }[] };
  };
  const phone = demo.result.phones[0]!;
  const sale = (await socket.request(3, 'checkout.start', { amount: 1234 })) as {
    ok: boolean;
    result: { saleId: string; state: string };
  };
  expect(sale).toMatchObject({ ok: true, result: { state: 'awaiting_tap' } });
  expect(
    await socket.request(4, 'demo.action', { phoneId: phone.phoneId, action: 'tap' }),
  ).toMatchObject({ ok: true });
  const approved = (await socket.untilEvent(
    (event, payload) =>
      event === 'checkout.state' &&
      ['approved', 'declined'].includes((payload as { state: string }).state),
  )) as {
    state: string;
    payment: { amount: number; balanceAfter: number } | null;
    decline: unknown;
  };
  expect(approved).toMatchObject({
    state: 'approved',
    payment: { amount: 1234, balanceAfter: phone.balance - 1234 },
  });
  const history = (await socket.request(5, 'payments.list', {})) as { result: { total: number } };
  expect(history.result.total).toBe(1);
  socket.close();

  // Ctrl-C goes to the whole foreground group (npm start adds npm's own process to the node
  // running the start script): what matters is that every process is gone, promptly, quietly.
  process.kill(-started.pid!, 'SIGINT');
  expect(await waitUntil(() => !groupIsAlive(started.pid!), 5_000)).toBe(true);
  await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}, 90_000);
