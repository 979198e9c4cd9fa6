// Where the window's page comes from, and the test every IPC call's sender must pass: its frame
// shows exactly our page (the built index.html, or the dev server during `electron-vite dev`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** What the window loads. */
  readonly url: string;
  /** True while developing against electron-vite's dev server (never in a packaged app). */
  readonly isDevServer: boolean;
  /** True when a frame showing `frameUrl` is our own renderer. */
  isOwnPage(frameUrl: string): boolean;
}

/**
 * `devServerUrl` is electron-vite's ELECTRON_RENDERER_URL; it is honoured only for an unpackaged
 * app, so an environment variable cannot point a merchant's installed terminal elsewhere.
 */
export function rendererLocation(
  mainBundleDir: string,
  isPackaged: boolean,
  devServerUrl: string | undefined,
): RendererLocation {
  if (!isPackaged && devServerUrl !== undefined && devServerUrl !== '') {
    const origin = new URL(devServerUrl).origin;
    return {
      url: devServerUrl,
      isDevServer: true,
      isOwnPage: (frameUrl) => originOf(frameUrl) === origin,
    };
  }
  const indexUrl = pathToFileURL(join(mainBundleDir, '..', 'renderer', 'index.html')).href;
  return {
    url: indexUrl,
    isDevServer: false,
    isOwnPage: (frameUrl) => withoutQueryOrHash(frameUrl) === indexUrl,
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function withoutQueryOrHash(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}
