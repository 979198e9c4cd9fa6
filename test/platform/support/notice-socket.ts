/** A phone's notification socket for app.injectWS: wallet-signed handshake, frames in order. */
import type { WebSocket } from 'ws';
import { Notification, signRequest } from '../../../protocol';
import type { WalletFixture } from './fixtures';
import type { TestPlatform } from './platform';

/** Collects frames; `next()` resolves with the next one. */
export function frames(socket: WebSocket) {
  const queue: unknown[] = [];
  const waiters: ((frame: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const frame: unknown = JSON.parse((data as Buffer).toString('utf8'));
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise<unknown>((resolve) => waiters.push(resolve)),
  };
}

/** The notices a frame carries, decoded. */
export const noticesOf = (frame: unknown) =>
  (frame as { notifications: string[] }).notifications.map(
    (n) => Notification.decode(Buffer.from(n, 'hex')).value,
  );

/** Opens `walletIdHex`'s socket signed by `signer`, listening before the backlog arrives. */
export function openNoticeSocket(
  platform: TestPlatform,
  signer: WalletFixture,
  walletIdHex: string,
  after = 0,
) {
  const target = `/v1/wallets/${walletIdHex}/notifications/socket?after=${after}`;
  const headers = signRequest({
    kind: 'wallet',
    callerId: signer.walletIdHex,
    key: signer.key,
    method: 'GET',
    target,
    time: platform.clock.now(),
  });
  let collected: ReturnType<typeof frames> | undefined;
  // Listen from the start: the backlog may arrive before injectWS resolves.
  return platform.app
    .injectWS(target, { headers }, { onInit: (ws) => (collected = frames(ws)) })
    .then((socket) => ({ socket, received: collected as ReturnType<typeof frames> }));
}
