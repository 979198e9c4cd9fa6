/**
 * The control channel of `handset run`: how a CLI event (swap-sim, power-off, …) reaches a
 * phone another process owns (storage/folder-lock.ts), so a demo can swap a SIM while the
 * phone sits on the reader. A Unix domain socket inside the phone folder (owner-only, like
 * the folder), or on Windows a named pipe named after the folder: local by construction,
 * nothing on the network can connect. One JSON line per request, one JSON line back:
 *
 *   CLI → run   {"name":"swap-sim","imsi":"001019999999999"}      (a PhoneCommand)
 *   run → CLI   {"ok":true,"output":"<the phone's state>"} | {"ok":false,"error":"…"}
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PhoneCommand } from './commands';

export type ControlAnswer =
  { readonly ok: true; readonly output: string } | { readonly ok: false; readonly error: string };

export const CONTROL_SOCKET = 'control.sock';
/** Unix socket paths are limited to ~104-108 bytes; longer folders get one in tmpdir. */
const MAX_SOCKET_PATH = 100;
const MAX_LINE = 64 * 1024;

/** Where the phone in `folder` listens while a `handset run` owns it. */
export function controlPath(folder: string): string {
  const absolute = resolve(folder);
  const tag = createHash('sha256').update(absolute).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\tapsafe-phone-${tag}`;
  const inside = join(absolute, CONTROL_SOCKET);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  return join(tmpdir(), `tapsafe-phone-${tag}.sock`);
}

/**
 * Listens on the folder's control path (call only while holding the folder's lock: a socket
 * file left by a dead owner is removed first). Resolves once listening.
 */
export async function serveControl(
  folder: string,
  handle: (request: unknown) => Promise<ControlAnswer>,
): Promise<{ close(): void }> {
  const path = controlPath(folder);
  if (process.platform !== 'win32') rmSync(path, { force: true });
  const server: Server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) {
        if (buffered.length > MAX_LINE) socket.destroy();
        return;
      }
      const line = buffered.slice(0, end);
      socket.removeAllListeners('data');
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        socket.end(`${JSON.stringify({ ok: false, error: 'the request is not JSON' })}\n`);
        return;
      }
      void handle(request)
        .catch((error: unknown): ControlAnswer => ({ ok: false, error: messageOf(error) }))
        .then((answer) => socket.end(`${JSON.stringify(answer)}\n`));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(path, () => {
      server.off('error', fail);
      done();
    });
  });
  return {
    close() {
      server.close();
      if (process.platform !== 'win32') rmSync(path, { force: true });
    },
  };
}

/**
 * Sends `command` to the `handset run` owning `folder`. Resolves with its answer, or with
 * undefined when nothing listens there (no run owns the folder).
 */
export function sendControl(
  folder: string,
  command: PhoneCommand,
  timeoutMs = 30_000,
): Promise<ControlAnswer | undefined> {
  return new Promise((done, fail) => {
    const socket = createConnection(controlPath(folder));
    let answer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`the running phone did not answer in ${timeoutMs} ms`)),
    );
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(command)}\n`);
    });
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const nobody = ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '');
      if (!connected && nobody) done(undefined);
      else fail(error);
    });
    socket.on('end', () => {
      try {
        done(JSON.parse(answer) as ControlAnswer);
      } catch {
        fail(new Error('the running phone answered something that is not JSON'));
      }
    });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
