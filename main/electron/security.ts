// Hardening applied before any window exists: the renderer is our own page and nothing else, so
// every navigation, new window, webview and permission is refused, and every response carries
// the strict Content-Security-Policy.
import type { App, Session } from 'electron';
import {
  contentSecurityPolicy,
  devServerContentSecurityPolicy,
} from '../terminal/content-security-policy';

export function hardenSession(session: Session, isDevServer: boolean): void {
  const policy = isDevServer ? devServerContentSecurityPolicy : contentSecurityPolicy;
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy the response brought, so ours is the only one in force.
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [policy];
    callback({ responseHeaders });
  });
  // The terminal needs no camera, notifications, USB, ... (card readers are used from main).
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applies to every web contents ever created, including any a bug might open later. */
export function denyNavigationEverywhere(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
