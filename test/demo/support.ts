/** Shared by the demo suites: a temp data folder, enrolling a terminal, typed-error checks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  generateSigningKey,
  signRequest,
  TerminalCertificate,
  type Signed,
  type SigningKey,
} from '../../protocol';
import type { Demo } from '../../main/demo';
import { TerminalError } from '../../main/terminal/errors';

export { eventually } from '../scenarios/support/rig';

const dirs: string[] = [];

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapsafe-demo-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface EnrolledTerminal {
  readonly status: number;
  readonly key: SigningKey;
  readonly certificate: Signed<TerminalCertificate>;
}

/** What the terminal's enrollment service does with the demo's code: its own key, one POST. */
export async function enroll(demo: Demo, key = generateSigningKey()): Promise<EnrolledTerminal> {
  const { platformUrl, code } = await demo.enrollmentCode();
  const response = await fetch(new URL('/v1/terminals/enroll', platformUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, publicKey: Buffer.from(key.publicKey).toString('hex') }),
  });
  const body = (await response.json()) as { certificate: string };
  return {
    status: response.status,
    key,
    certificate: TerminalCertificate.decode(Buffer.from(body.certificate, 'hex')),
  };
}

/** A terminal-signed GET, as the terminal's sync service makes one. */
export function terminalGet(demo: Demo, terminal: EnrolledTerminal, target: string) {
  const headers = signRequest({
    kind: 'terminal',
    callerId: terminal.certificate.value.terminalId,
    key: terminal.key,
    method: 'GET',
    target,
    time: demo.clock.now(),
  });
  return fetch(new URL(target, demo.platformUrl), { headers });
}

/** `work` fails with the demo's typed error `code` (and no other kind of error). */
export async function expectDemoError(
  work: () => Promise<unknown>,
  code: string,
  details?: Record<string, unknown>,
): Promise<void> {
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TerminalError);
  expect(error).toMatchObject({ code, ...(details === undefined ? {} : { details }) });
}
