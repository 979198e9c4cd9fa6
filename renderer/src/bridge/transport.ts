// Picks the transport at start: the Electron preload's `window.tapsafe` when present, else the
// browser host's WebSocket with the per-launch token from the page URL's fragment.
import type { TapsafeBridge, TapsafeWindow } from '../../../preload/api';
import { createWebSocketBridge, rpcUrl, tokenFromHash } from '../websocket-bridge';

export type TransportProblem = 'no_token' | 'refused' | 'disconnected';

export type TransportChoice =
  { readonly bridge: TapsafeBridge } | { readonly problem: TransportProblem };

export function chooseTransport(
  onProblem: (problem: TransportProblem) => void,
  page: Window = window,
): TransportChoice {
  const preloaded = (page as TapsafeWindow).tapsafe;
  if (preloaded !== undefined) return { bridge: preloaded };
  const token = tokenFromHash(page.location.hash);
  if (token === undefined) return { problem: 'no_token' };
  return {
    bridge: createWebSocketBridge(rpcUrl(page.location, token), (wasOpen) =>
      onProblem(wasOpen ? 'disconnected' : 'refused'),
    ),
  };
}
