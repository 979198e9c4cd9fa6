/**
 * pcsc-tools' `scriptor`, a PC/SC client nobody here wrote (Perl, over libpcsclite): it is
 * fed a script of APDU hex lines and prints each exchange as
 *
 *   > 00 a4 04 00 09 f0 54 41 50 53 41 46 45 01 00
 *   < 6F 1B DF 01 01 01 … (16 bytes a line, continued on the following lines)
 *   … 90 00 : Normal processing.
 *
 * This runs it and turns that text back into bytes.
 */
import { spawn } from 'node:child_process';

export interface ScriptorExchange {
  /** The command as scriptor echoed it, lower-case hex without spaces. */
  readonly command: string;
  /** The whole response APDU (data + SW1 SW2). */
  readonly response: Uint8Array;
}

export interface ScriptorRun {
  readonly exchanges: ScriptorExchange[];
  readonly output: string;
}

const hexBytes = (text: string): string[] => text.trim().split(/\s+/).filter(Boolean);

/** Parses scriptor's output; lines it does not know (banners, RESET) are skipped. */
export function parseScriptorOutput(output: string): ScriptorExchange[] {
  const exchanges: ScriptorExchange[] = [];
  let command: string | undefined;
  let response: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('> ')) {
      command = hexBytes(line.slice(2)).join('').toLowerCase();
      response = undefined;
      continue;
    }
    let text = line;
    if (line.startsWith('< ')) {
      response = [];
      text = line.slice(2);
    }
    if (response === undefined || command === undefined) continue;
    // The status word's description follows " : " on the last line of a response.
    const end = text.indexOf(' : ');
    response.push(...hexBytes(end >= 0 ? text.slice(0, end) : text));
    if (end >= 0) {
      if (!response.every((byte) => /^[0-9A-Fa-f]{2}$/.test(byte))) {
        throw new Error(`scriptor printed a response that is not hex: ${response.join(' ')}`);
      }
      exchanges.push({ command, response: Uint8Array.from(Buffer.from(response.join(''), 'hex')) });
      command = undefined;
      response = undefined;
    }
  }
  return exchanges;
}

/** Runs `scriptor -r reader` on `lines` (the script, fed on stdin). */
export function runScriptor(
  reader: string,
  lines: string[],
  timeoutMs = 15_000,
): Promise<ScriptorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('scriptor', ['-u', '-r', reader], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`scriptor exited ${String(code ?? signal)}: ${errors}${output}`));
        return;
      }
      try {
        resolve({ exchanges: parseScriptorOutput(output), output });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}
