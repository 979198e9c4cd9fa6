// Electron entry point: the only module that starts a window. It stays thin on purpose; what
// the terminal does lives in main/terminal, where plain Node can test it.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { launchTerminal, type LaunchedTerminal } from '../demo/launch';
import { statusEvent } from '../terminal/events';
import { safeStorageSealer } from './key-sealer';
import { mountApiOnIpc, forwardEvents } from './ipc';
import { rendererLocation } from './renderer-location';
import { denyNavigationEverywhere, hardenSession } from './security';

const logError = (error: unknown) => console.error(error);
// The bundle is out/main/index.js; the preload and the renderer are built beside it.
const bundleDir = import.meta.dirname;
const location = rendererLocation(bundleDir, app.isPackaged, process.env['ELECTRON_RENDERER_URL']);

// Every renderer sandboxed, whatever a BrowserWindow says.
app.enableSandbox();
denyNavigationEverywhere(app);

// One terminal per machine user: a second launch focuses the first instead of competing for
// the reader and the ledger.
if (!app.requestSingleInstanceLock()) app.quit();
else
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logError(error);
      app.exit(1);
    });

async function start(): Promise<void> {
  hardenSession(session.defaultSession, location.isDevServer);
  const terminal = await launchTerminal({
    appDataDir: app.getPath('userData'),
    version: app.getVersion(),
    transport: 'electron-ipc',
    keySealer: safeStorageSealer(),
    logError,
  });
  closeOnQuit(terminal);
  mountApiOnIpc(ipcMain, terminal.handlers, location, logError);

  const window = createWindow();
  forwardEvents(terminal.events, window);
  window.webContents.once('did-finish-load', () =>
    terminal.events.publish('app.status', statusEvent('info', 'Terminal ready')),
  );
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
}

/**
 * Quitting waits for the terminal to close: a sale in progress ends (its ledger commit is
 * synchronous and finishes first), the schedules stop and the ledger is closed cleanly.
 */
function closeOnQuit(terminal: LaunchedTerminal): void {
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    terminal
      .close()
      .catch(logError)
      .finally(() => app.exit(0));
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1024,
    height: 720,
    title: 'Tapsafe terminal',
    show: false,
    webPreferences: {
      preload: join(bundleDir, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(location.url).catch(logError);
  return window;
}
