import { defineConfig } from 'vitest/config';

// The renderer's component tests (test/renderer/*.test.tsx) pick jsdom per file. jsdom stays
// on 26: 27 and later need Node 22, and the terminal supports Node 20.19+.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/e2e/*.spec.ts are Playwright's (playwright.config.ts), run after vitest by scripts/test.sh.
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
