/**
 * kill -9 during PAY: a child process pays in a loop on a phone folder and is SIGKILLed
 * at a random moment, again and again. After every kill the phone reopens with its seal
 * intact, its counter never goes back, no counter is ever signed twice, and every record a
 * terminal could have received is in the wallet's log.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRecord, WalletCertificate } from '../../protocol';
import { createPhone, LOG_CAPACITY } from '../../handset';
import { activatedRig, IMEI, IMSI, removeTempDirs, tempDir } from './support/setup';

afterAll(removeTempDirs);

const CHILD = fileURLToPath(new URL('./support/pay-loop.ts', import.meta.url));
const ROUNDS = 30;
let childArgs: string[];

// Starting the child through tsx costs about a second; bundled once with esbuild (which
// tsx itself runs on) it starts in a fifth of that, so many more kills fit in the time.
beforeAll(async () => {
  try {
    const { build } = await import('esbuild');
    const outfile = join(tempDir(), 'pay-loop.mjs');
    await build({
      entryPoints: [CHILD],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    childArgs = [outfile];
  } catch {
    childArgs = ['--import', 'tsx', CHILD];
  }
});

interface Round {
  records: Uint8Array[];
  killedAfterMs: number;
}

/** Runs the child until it has paid, then SIGKILLs it after a random delay. */
function killRound(stateDir: string, clockStart: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const args = [...childArgs, stateDir, IMEI, IMSI, `${clockStart}`];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const killedAfterMs = Math.floor(Math.random() * 80);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killedAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended with ${code ?? signal}: ${err}${out.slice(-200)}`));
        return;
      }
      // A line cut by the kill has no newline yet: it was never handed to a terminal.
      const lines = out.split('\n').slice(0, -1);
      const records = lines
        .filter((line) => line !== 'ready')
        .map((line) => new Uint8Array(Buffer.from(line, 'hex')));
      resolve({ records, killedAfterMs });
    });
  });
}

describe('kill -9 during PAY', () => {
  it(`leaves a sound wallet after ${ROUNDS} random kills`, { timeout: 60_000 }, async () => {
    const rig = await activatedRig({
      initialBalance: 1_000_000_000,
      limitPerPayment: 10,
      limitOfflineAmount: 1_000_000_000,
      limitOfflineCount: 65_535,
    });
    const certificate = rig.phone.wallet.certificate(rig.terminal.certificate);
    if (!certificate.ok) throw new Error('activation failed');
    const walletKey = WalletCertificate.decode(certificate.value).value.walletPublicKey;
    rig.phone.close();

    const seen = new Map<number, string>();
    let lastCounter = 0;
    let total = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { records } = await killRound(rig.stateDir, rig.clock.now());
      const phone = createPhone({
        stateDir: rig.stateDir,
        imei: IMEI,
        imsi: IMSI,
        clock: rig.clock,
      });
      const wallet = phone.snapshot().wallet;
      phone.close();
      // The seal opens, the wallet is usable, and nothing went backwards.
      expect(wallet).toMatchObject({ storage: 'open', state: 'active' });
      const counter = wallet.counter as number;
      expect(counter).toBeGreaterThanOrEqual(lastCounter);

      const log = phone.wallet.log(LOG_CAPACITY, rig.terminal.certificate);
      const logged = new Map(
        (log.ok ? log.value : []).map((r) => [
          r.value.counter,
          Buffer.from(r.encoded).toString('hex'),
        ]),
      );
      for (const bytes of records) {
        const record = PaymentRecord.decode(bytes);
        PaymentRecord.verify(record, walletKey);
        const c = record.value.counter;
        const hex = Buffer.from(bytes).toString('hex');
        // Never two records with one counter, in this round or any earlier one.
        expect(seen.has(c), `counter ${c} signed twice`).toBe(false);
        seen.set(c, hex);
        expect(c).toBeGreaterThan(lastCounter);
        expect(c).toBeLessThanOrEqual(counter);
        // Every record a terminal could hold is in the log, byte for byte.
        if (c > counter - LOG_CAPACITY) expect(logged.get(c)).toBe(hex);
      }
      // The balance is exactly what the signed records say.
      expect(wallet.balance).toBe(1_000_000_000 - counter);
      total += records.length;
      lastCounter = counter;
    }
    // The kills did land while paying, not only before the first payment.
    expect(total).toBeGreaterThan(ROUNDS);
  });
});
