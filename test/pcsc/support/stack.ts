/**
 * The real PC/SC stack for these tests: pcscd + vsmartcard-vpcd, started through
 * scripts/ci/pcscd.sh. pcscd is one per machine and these test files restart it, so each
 * file takes a machine-wide lock before touching it (vitest runs files in parallel).
 *
 * In CI (CI=true) a missing or dead stack fails the tests; on a developer machine without
 * pcscd they are skipped with a message saying how to get it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { pcscdAccepts } from '../../../main/terminal/reader/pcsc/pcscd-socket';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PCSCD_SCRIPT = join(ROOT, 'scripts/ci/pcscd.sh');
const LOCK = join(tmpdir(), 'tapsafe-pcsc-tests.lock');
const IN_CI = process.env.CI === 'true';

/** Runs scripts/ci/pcscd.sh without blocking the event loop (sockets keep flowing). */
export function pcscdScript(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [PCSCD_SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`pcscd.sh ${args.join(' ')} exited ${String(code)}: ${stderr}`)),
    );
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function lock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // Created but not yet written: the owner is between two calls.
      }
      // A worker that died holding the lock must not stall every later run.
      if (Number.isInteger(owner) && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
      await sleep(100);
    }
  }
}

export function releasePcscStack(): void {
  try {
    if (readFileSync(join(LOCK, 'pid'), 'utf8') === String(process.pid)) {
      rmSync(LOCK, { recursive: true, force: true });
    }
  } catch {
    // Not held.
  }
}

/**
 * Takes the lock and makes sure pcscd runs (with the TCP_NODELAY shim). Returns false when
 * the tests should be skipped; throws in CI when the stack is not usable.
 */
export async function acquirePcscStack(): Promise<boolean> {
  const installed = spawnSync('sh', ['-c', 'command -v pcscd && command -v scriptor']).status;
  if (installed !== 0 && !IN_CI) {
    console.warn(
      'test/pcsc skipped: pcscd / pcsc-tools are not installed (run `scripts/ci/pcscd.sh install`).',
    );
    return false;
  }
  await lock();
  process.once('exit', releasePcscStack);
  try {
    await pcscdScript('start');
    if (!(await pcscdAccepts())) throw new Error('pcscd started but its socket accepts nothing');
    return true;
  } catch (error) {
    releasePcscStack();
    if (IN_CI) throw error;
    console.warn(`test/pcsc skipped: pcscd could not be started: ${String(error)}`);
    return false;
  }
}
