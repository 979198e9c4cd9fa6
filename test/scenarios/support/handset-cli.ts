/** `npm run handset` as a user runs it: one child process per command, phones in `dir`. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const CLI = join(import.meta.dirname, '../../../handset/cli/main.ts');
const TSX = join(import.meta.dirname, '../../../node_modules/.bin/tsx');

export interface CliResult {
  readonly code: number;
  /** stdout, then stderr. */
  readonly out: string;
}

/** A runner for phone `phone` (a folder under `dir`) against the platform at `platformUrl`. */
export function handsetCli(platformUrl: string, dir: string) {
  return async (phone: string, ...args: string[]): Promise<CliResult> => {
    const options = ['--phone', join(dir, phone), '--platform', platformUrl];
    try {
      const { stdout } = await execFileAsync(TSX, [CLI, ...args, ...options]);
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: `${failed.stdout}${failed.stderr}` };
    }
  };
}
