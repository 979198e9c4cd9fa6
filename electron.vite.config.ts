// Builds the three bundles into out/: main (Node, ESM), preload (CommonJS, because a sandboxed
// preload cannot be an ES module) and renderer (browser). `npm run build` runs this.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './main/terminal/content-security-policy';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Electron may not apply response headers to file:// pages, so the built page also carries the
 * policy in a <meta> tag. Build only: the dev server injects styles inline, which it forbids.
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

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Named "index" so the output is out/main/index.js, package.json's "main".
      rolldownOptions: {
        input: { index: resolve(root, 'main/electron/main.ts') },
        // A native addon cannot be bundled; electron-builder unpacks it from the asar.
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // The browser host serves these files too; the cashier's first load should stay small.
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
