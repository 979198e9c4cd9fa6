// Starts `npm start`'s script (scripts/run-start.js, as npm runs it) as a user would, where Electron is absent: the browser host in
// demo mode, with the caller's data folder, a free port, out/ as built, and Electron's lookup
// pointed at an empty place. Shared by the e2e fixtures and `npm run bench -- app`.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { openSocket, untilStarted } from '../app/helpers';

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
  const child = spawn(process.execPath, ['scripts/run-start.js'], {
    cwd: projectRoot,
    detached: true, // its own process group: stop() ends it and any child together
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

/** A WebSocket client of the host's RPC, as the terminal's own page is (same origin, token). */
export async function connectRpc(host: Host): Promise<{ rpc: Rpc; close(): void }> {
  const attempt = await openSocket(
    `ws://127.0.0.1:${host.port}/rpc?token=${host.token}`,
    host.origin,
  );
  if (!attempt.opened) throw new Error(`the host refused the socket (${attempt.status})`);
  const socket = attempt.socket;
  // The host serves before the demo world is up: wait until the terminal answers.
  await untilStarted(socket, 0);
  let id = 0;
  const rpc: Rpc = {
    call: async <T>(method: string, params?: unknown) => {
      const reply = (await socket.request(++id, method, params)) as
        { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
      if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
      // Events are not read by these clients: keep the socket's buffer from growing.
      socket.events.length = 0;
      return reply.result;
    },
  };
  return { rpc, close: () => socket.close() };
}
