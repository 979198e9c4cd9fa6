// The start script for plain Node: scripts/start.ts and the terminal it imports bundled into
// out/start/start.js (its demo world a chunk loaded after the page is served), so `npm start`
// compiles no TypeScript at launch. Packages stay in node_modules. Part of `npm run build`.
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The platform starts worker threads from plain JavaScript files beside its sources
// (`new URL('./verify-worker.js', import.meta.url)`). Bundling moves that code into a chunk,
// so the file is copied beside every chunk that names it: without it the worker, and every
// settlement upload to the embedded platform, fails.
/** Worker files by the name their code uses, and where their source is. */
const WORKER_SCRIPTS: Readonly<Record<string, string>> = {
  'verify-worker.js': 'platform/settlement/verify-worker.js',
};

export function copyWorkerScripts(projectRoot: string): Plugin {
  return {
    name: 'tapsafe:worker-scripts',
    apply: 'build',
    generateBundle(_options, bundle) {
      const emitted = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const [name, source] of Object.entries(WORKER_SCRIPTS)) {
          if (!chunk.code.includes(`"./${name}"`)) continue;
          const fileName = posix.join(posix.dirname(chunk.fileName), name);
          if (emitted.has(fileName)) continue;
          emitted.add(fileName);
          this.emitFile({
            type: 'asset',
            fileName,
            source: readFileSync(join(projectRoot, source)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [copyWorkerScripts(root)],
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
