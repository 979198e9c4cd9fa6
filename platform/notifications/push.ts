/** Waking wallets' sockets after a commit, through the platform's hub (hub.ts). */
import type { PlatformContext } from '../context';

/** After a commit that queued notices for these wallets: wake their sockets. */
export function announceNotices(
  platform: Pick<PlatformContext, 'pushHub'>,
  ...walletIdHexes: string[]
): void {
  for (const walletIdHex of walletIdHexes) platform.pushHub.poke(walletIdHex);
}
