/**
 * One wallet's push socket. Frames are JSON text:
 *   platform → phone  {"type":"notifications","notifications":["<hex envelope>", …]}
 *   phone → platform  {"type":"ack","sequence":N}     (notices up to N applied)
 * On connect it sends everything after `after` (first signing a balance confirmation the
 * wallet is owed, notifications/balance-due.ts); then whenever the hub is poked (a unit
 * committed a notice for this wallet) and every RESCAN_MS (notices queued by another API
 * node, or by a unit that did not poke), it sends what is new. Each notice is sent once per
 * socket; the phone refuses replays anyway, and pull at sync remains the fallback.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { PlatformContext } from '../context';
import type { WalletCaller } from '../auth/caller';
import { issueDueBalanceNotice } from '../notifications/surface';
import { acknowledge, noticesAfter } from './deliver';

export const RESCAN_MS = 5_000;
const MAX_FRAME = 4 * 1024;

export function attachSocket(
  platform: PlatformContext,
  socket: WebSocket,
  caller: WalletCaller,
  after: number,
  log: FastifyBaseLogger,
): void {
  const { db, clock } = platform;
  let sent = after;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const flush = async (): Promise<void> => {
    await issueDueBalanceNotice(db, platform, caller.walletId);
    const notices = await noticesAfter(db, caller.walletId, sent);
    if (notices.length === 0 || closed) return;
    sent = notices[notices.length - 1]?.sequence ?? sent;
    socket.send(
      JSON.stringify({
        type: 'notifications',
        notifications: notices.map((n) => Buffer.from(n.envelope).toString('hex')),
      }),
    );
  };
  // One flush at a time; a poke during a flush runs one more afterwards.
  const schedule = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = flush()
      .catch((error: unknown) => log.warn({ err: error }, 'notification push failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
  };

  const unsubscribe = platform.pushHub.subscribe(caller.walletIdHex, schedule);
  const timer = setInterval(schedule, RESCAN_MS);
  timer.unref();
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? '' : (data as Buffer).toString('utf8');
    let message: unknown;
    try {
      message = text.length <= MAX_FRAME ? JSON.parse(text) : undefined;
    } catch {
      message = undefined;
    }
    const sequence = (message as { type?: unknown; sequence?: unknown } | undefined)?.sequence;
    if (
      (message as { type?: unknown } | undefined)?.type !== 'ack' ||
      !Number.isSafeInteger(sequence)
    ) {
      socket.close(1003, 'expected {"type":"ack","sequence":N}');
      return;
    }
    acknowledge(db, caller.walletId, sequence as number, clock.now()).catch((error: unknown) =>
      log.warn({ err: error }, 'notification ack failed'),
    );
  });
  socket.on('close', () => {
    closed = true;
    unsubscribe();
    clearInterval(timer);
  });
  schedule();
}
