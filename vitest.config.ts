import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The renderer's component tests (test/renderer/*.test.tsx) run in jsdom. jsdom 27 and later
// need Node 22 (undici 8, iterator helpers): on an older Node they cannot even start, so they
// are left out with a line in the skip log instead of failing every run. jsdom 26 runs on
// Node 18+.
const componentTests = 'test/renderer/**/*.test.tsx';
const jsdomMajor = Number(
  (createRequire(import.meta.url)('jsdom/package.json') as { version: string }).version.split(
    '.',
  )[0],
);
const nodeMajor = Number(process.versions.node.split('.')[0]);
const jsdomRuns = jsdomMajor < 27 || nodeMajor >= 22;
if (!jsdomRuns && process.env['TAPSAFE_SKIP_LOG'] !== undefined) {
  appendFileSync(
    process.env['TAPSAFE_SKIP_LOG'],
    `renderer component tests (jsdom ${jsdomMajor} needs Node 22; this is Node ${process.versions.node})\n`,
  );
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['**/node_modules/**', ...(jsdomRuns ? [] : [componentTests])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
