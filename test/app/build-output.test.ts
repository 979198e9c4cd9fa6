// The bundles `npm run build` writes (out/main for Electron, out/start for `npm start`) start
// the platform's worker threads from files named beside the chunk that loads them
// (`new URL('./verify-worker.js', import.meta.url)`). Bundling moves that code, so each build
// copies the files; a missing one fails every settlement upload to the embedded platform.
// Needs `npm run build` first (npm test runs it), as browser-host.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const out = resolve(import.meta.dirname, '../../out');

/** Every .js file under a folder. */
function scripts(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(folder, name));
}

/** The files a script loads by a URL relative to itself. */
function relativeWorkerFiles(code: string): string[] {
  return [...code.matchAll(/new URL\(\s*["'](\.\/[\w.-]+\.js)["']\s*,\s*import\.meta\.url/g)].map(
    (match) => match[1] ?? '',
  );
}

describe.each(['main', 'start'])('out/%s', (bundle) => {
  it('has every worker file beside the chunk that starts it', () => {
    const folder = join(out, bundle);
    expect(existsSync(folder), `${folder} missing: run npm run build`).toBe(true);
    const references = scripts(folder).flatMap((file) =>
      relativeWorkerFiles(readFileSync(file, 'utf8')).map((name) => ({ file, name })),
    );
    // The embedded platform's settlement verifier is in both bundles.
    expect(references.map((reference) => reference.name)).toContain('./verify-worker.js');
    for (const { file, name } of references) {
      expect(existsSync(join(dirname(file), name)), `${name} beside ${file}`).toBe(true);
    }
  });
});
