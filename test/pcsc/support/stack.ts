/**
 * The real PC/SC stack for these tests: pcscd + vsmartcard-vpcd, started through
 * scripts/ci/pcscd.sh, inside the private namespaces of scripts/pcsc-private.sh (`npm run
 * test:pcsc`; `npm test` runs it). These files stop, restart and kill -9 pcscd, so they
 * refuse to touch a machine's own one: outside those namespaces they do not run. Within, the
 * files share one private pcscd and take turns with a lock (vitest runs files in parallel).
 *
 * In CI (CI=true) a missing stack fails the tests; on a developer machine the suites are
 * skipped, saying why on the console and in `npm test`'s closing summary line.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { pcscdAccepts } from '../../../main/terminal/reader/pcsc/pcscd-socket';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PCSCD_SCRIPT = join(ROOT, 'scripts/ci/pcscd.sh');
const IN_CI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/** Why this process may not run pcscd, or undefined inside scripts/pcsc-private.sh's namespaces. */
export function privateStackProblem(): string | undefined {
  const hostNetwork = process.env.TAPSAFE_PCSC_HOST_NETNS;
  if (hostNetwork === undefined || hostNetwork === '') {
    return 'they run only on a private pcscd: use `npm run test:pcsc` (scripts/pcsc-private.sh)';
  }
  if (readlinkSync('/proc/self/ns/net') === hostNetwork) {
    return 'TAPSAFE_PCSC_HOST_NETNS is set but this is the host network namespace';
  }
  if (process.env.TAPSAFE_PCSCD_DIR === undefined) {
    return 'TAPSAFE_PCSCD_DIR is unset (scripts/pcsc-private.sh sets it)';
  }
  return undefined;
}

/** The lock sits in the private state folder: its pids are those of our PID namespace. */
const lockPath = (): string => join(process.env.TAPSAFE_PCSCD_DIR ?? '', 'tests.lock');

/** Runs scripts/ci/pcscd.sh without blocking the event loop (sockets keep flowing). */
export function pcscdScript(...args: string[]): Promise<void> {
  const outside = privateStackProblem();
  if (outside !== undefined) return Promise.reject(new Error(`pcscd.sh refused: ${outside}`));
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
  const LOCK = lockPath();
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
  const LOCK = lockPath();
  try {
    if (readFileSync(join(LOCK, 'pid'), 'utf8') === String(process.pid)) {
      rmSync(LOCK, { recursive: true, force: true });
    }
  } catch {
    // Not held.
  }
}

/** A skip, on the console and in the file `npm test` summarises (scripts/test.sh). */
function skip(reason: string): false {
  console.warn(`test/pcsc skipped: ${reason}`);
  const log = process.env.TAPSAFE_SKIP_LOG;
  if (log !== undefined && log !== '') appendFileSync(log, `PC/SC suites (${reason})\n`);
  return false;
}

/**
 * Takes the lock and makes sure the private pcscd runs (with the TCP_NODELAY shim). Returns
 * false when the tests should be skipped; throws in CI when the stack is not usable.
 */
export async function acquirePcscStack(): Promise<boolean> {
  const outside = privateStackProblem();
  if (outside !== undefined) {
    if (IN_CI) throw new Error(`test/pcsc: ${outside}`);
    return skip(outside);
  }
  const installed = spawnSync('sh', ['-c', 'command -v pcscd && command -v scriptor']).status;
  if (installed !== 0) {
    const reason = 'no pcscd / pcsc-tools (run `bash scripts/ci/pcscd.sh install`)';
    if (IN_CI) throw new Error(`test/pcsc: ${reason}`);
    return skip(reason);
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
    return skip(`pcscd could not be started: ${String(error)}`);
  }
}
