// The start script for plain Node: scripts/start.ts and the terminal it imports bundled into
// out/start/start.js (its demo world a chunk loaded after the page is served), so `npm start`
// compiles no TypeScript at launch. Packages stay in node_modules. Part of `npm run build`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: resolve(root, 'scripts/start.ts'),
    outDir: resolve(root, 'out/start'),
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: {
      // A native addon cannot be bundled (as electron.vite.config.ts).
      external: ['better-sqlite3'],
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
