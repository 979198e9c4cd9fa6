// The first screen. It picks its transport at start: the Electron preload's `window.tapsafe`
// when present, else the browser host's WebSocket with the token from the page URL. Everything
// it shows comes through the API contract; it never touches Node or Electron.
import type {
  ApiMethodName,
  ApiParams,
  ApiResult,
  AppInfo,
  StatusLevel,
  TapsafeBridge,
  TapsafeWindow,
} from '../../preload/api';
import { createWebSocketBridge, rpcUrl, tokenFromHash } from './websocket-bridge';

const modeLabels: Readonly<Record<AppInfo['mode'], string>> = {
  demo: 'Demo (emulated phones)',
  enrolled: 'Enrolled',
  unenrolled: 'Not enrolled',
};

const transportLabels: Readonly<Record<AppInfo['transport'], string>> = {
  'electron-ipc': 'Desktop app',
  websocket: 'Browser (local terminal service)',
};

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
}

function showStatus(level: StatusLevel, message: string): void {
  const status = element('status');
  status.dataset['level'] = level;
  status.textContent = message;
}

function chooseBridge(): TapsafeBridge | undefined {
  const preloaded = (window as TapsafeWindow).tapsafe;
  if (preloaded !== undefined) return preloaded;
  const token = tokenFromHash(location.hash);
  if (token === undefined) {
    showStatus(
      'error',
      'This address has no access token. Open the full URL printed by "npm start".',
    );
    return undefined;
  }
  return createWebSocketBridge(rpcUrl(location, token), (wasOpen) =>
    showStatus(
      'error',
      wasOpen
        ? 'Disconnected from the terminal service. Restart it, then reload.'
        : 'The terminal service refused this page. Its token changes at every start: open the URL it printed last.',
    ),
  );
}

/** Unwraps an outcome: the screen reports errors in the status line, never as exceptions. */
async function call<M extends ApiMethodName>(
  bridge: TapsafeBridge,
  method: M,
  params?: ApiParams<M>,
): Promise<ApiResult<M> | undefined> {
  const outcome = await bridge.invoke(method, params);
  if (outcome.ok) return outcome.result;
  showStatus('error', `${method} failed: ${outcome.error.message} (${outcome.error.code})`);
  return undefined;
}

async function refresh(bridge: TapsafeBridge): Promise<void> {
  const info = await call(bridge, 'app.info');
  if (info === undefined) return;
  element('mode').textContent = modeLabels[info.mode];
  element('version').textContent = info.version;
  element('transport').textContent = transportLabels[info.transport];
  showStatus('info', 'Ready');
}

function start(): void {
  const bridge = chooseBridge();
  if (bridge === undefined) return;
  bridge.on('app.status', (event) => showStatus(event.level, event.message));

  const refreshButton = element('refresh');
  refreshButton.addEventListener('click', () => void refresh(bridge));
  document.addEventListener('keydown', (event) => {
    // Plain "r" only: leave browser shortcuts (Ctrl+R, ...) alone.
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (plain && event.key.toLowerCase() === 'r' && !event.repeat) void refresh(bridge);
  });
  refreshButton.focus();
  void refresh(bridge);
}

start();
