// The renderer's Vite config: electron-vite's `renderer` section (electron.vite.config.ts), and
// on its own (`npx vite --config renderer.vite.config.ts`) the renderer's dev server for a
// plain browser, under the same policy Electron's session applies during `npm run dev`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import {
  devServerContentSecurityPolicy,
  metaContentSecurityPolicy,
} from './main/terminal/content-security-policy';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Electron may not apply response headers to file:// pages, so the built page also carries the
 * policy in a <meta> tag. Build only: the dev server sends its own policy as a header.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'tapsafe:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export const rendererConfig: UserConfig = {
  root: resolve(root, 'renderer'),
  plugins: [react(), contentSecurityPolicyMeta()],
  // Dev only (a build has no server): a browser gets what Electron's session enforces.
  server: { headers: { 'Content-Security-Policy': devServerContentSecurityPolicy } },
  build: {
    outDir: resolve(root, 'out/renderer'),
    // The browser host serves these files too; the cashier's first load should stay small.
    minify: true,
    rolldownOptions: { input: resolve(root, 'renderer/index.html') },
  },
};

export default rendererConfig;
