/**
 * The operator CLI as its own process (`npm run platform -- <command>`, run as
 * `node --import tsx platform/cli/main.ts`): what an operator types in a second terminal
 * while the server runs in the first. `HANDSET_CLI` runs `npm run handset` the same way.
 */
import { execFile } from 'node:child_process';

export interface CliProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const PLATFORM_CLI = 'platform/cli/main.ts';
export const HANDSET_CLI = 'handset/cli/main.ts';

/** Runs one command with these variables on top of the test's environment. */
export function runCliProcess(
  args: readonly string[],
  env: Record<string, string | undefined>,
  entry = PLATFORM_CLI,
): Promise<CliProcessRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
      },
    );
  });
}
