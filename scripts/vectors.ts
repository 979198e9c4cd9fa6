/**
 * `npm run vectors`: rewrites test/vectors/*.json and the generated tables of
 * docs/protocol.md from the protocol code. `--check` only compares, exiting 1 on drift.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildVectors, type ObjectVector } from './spec/vectors';
import { withGeneratedSections } from './spec/docs';

const root = join(import.meta.dirname, '..');
const vectorDir = join(root, 'test', 'vectors');
const docPath = join(root, 'docs', 'protocol.md');

export function readCommittedObjects(): ObjectVector[] {
  const path = join(vectorDir, 'objects.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ObjectVector[]) : [];
}

export function expectedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, content] of Object.entries(buildVectors(readCommittedObjects()))) {
    files.set(join(vectorDir, name), `${JSON.stringify(content, null, 2)}\n`);
  }
  files.set(docPath, withGeneratedSections(readFileSync(docPath, 'utf8')));
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  let drift = 0;
  for (const [path, content] of expectedFiles()) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current === content) continue;
    drift++;
    if (check) console.error(`out of date: ${path}`);
    else writeFileSync(path, content);
  }
  console.log(check ? `${drift} file(s) out of date` : `${drift} file(s) written`);
  if (check && drift > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
