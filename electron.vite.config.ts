// Builds the three bundles into out/: main (Node, ESM), preload (CommonJS, because a sandboxed
// preload cannot be an ES module) and renderer (browser). `npm run build` runs this.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer.vite.config';
// The worker-script copy of the start bundle's build (kept there: that build is plain Vite's).
import { copyWorkerScripts } from './vite.start.config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    // The embedded platform's worker scripts beside the chunk that starts them.
    plugins: [copyWorkerScripts(root)],
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
  renderer: rendererConfig,
});
