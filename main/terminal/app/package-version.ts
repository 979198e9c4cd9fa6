// The version from the project's package.json: Electron has `app.getVersion()`; the browser
// host runs from the source tree and reads the same field itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readPackageVersion(projectRoot: string): string {
  const text = readFileSync(join(projectRoot, 'package.json'), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
    const { version } = parsed;
    if (typeof version === 'string' && version !== '') return version;
  }
  throw new Error(`${projectRoot}/package.json has no version`);
}
