// The terminal's identity as shown on the first screen: version, mode and the transport the
// screen is talking through. Plain Node, so the browser host and the tests build it the same way
// the Electron shell does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type TerminalMode = 'demo' | 'enrolled' | 'unenrolled';
export type TransportKind = 'electron-ipc' | 'websocket';

export interface AppInfo {
  readonly version: string;
  readonly mode: TerminalMode;
  readonly transport: TransportKind;
}

/**
 * The mode the terminal runs in. ARCHITECTURE.md: with no enrollment the terminal opens demo
 * mode. The enrollment service does not exist yet, so every terminal is in demo mode for now;
 * this is the one place to change when it does.
 */
export function currentTerminalMode(): TerminalMode {
  return 'demo';
}

export function buildAppInfo(version: string, transport: TransportKind): AppInfo {
  if (version.trim() === '') throw new Error('the application version is empty');
  return { version, mode: currentTerminalMode(), transport };
}

/**
 * The version from the project's package.json. Electron has `app.getVersion()`; the browser
 * host runs from the source tree and reads the same field itself.
 */
export function readPackageVersion(projectRoot: string): string {
  const text = readFileSync(join(projectRoot, 'package.json'), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
    const { version } = parsed;
    if (typeof version === 'string' && version !== '') return version;
  }
  throw new Error(`${projectRoot}/package.json has no version`);
}
