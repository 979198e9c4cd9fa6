/**
 * Whether pcscd is up, asked the only safe way: by connecting to its socket. Creating an
 * NFC object (SCardEstablishContext) while pcscd is down spins the event loop at 100% CPU,
 * so nothing may create one before this says yes.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PcscReaderError } from './errors';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

export function pcscdAccepts(path = PCSCD_SOCKET, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  path?: string;
  timeoutMs?: number;
  pollMs?: number;
  /** Stops waiting early (the adapter was closed). */
  signal?: AbortSignal;
}

/** Resolves once pcscd accepts a connection; rejects with pcscd_unavailable after timeoutMs. */
export async function waitForPcscd(options: WaitOptions = {}): Promise<void> {
  const path = options.path ?? PCSCD_SOCKET;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (options.signal?.aborted === true) throw new PcscReaderError('closed', 'stopped waiting');
    if (await pcscdAccepts(path)) return;
    if (Date.now() >= deadline) {
      throw new PcscReaderError('pcscd_unavailable', `${path} accepts no connection`);
    }
    await sleep(options.pollMs ?? 100);
  }
}
