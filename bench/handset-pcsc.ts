/**
 * `npm run bench -- handset` (PC/SC part): one APDU's round trip from a terminal through
 * nfc-pcsc, pcscd and vsmartcard-vpcd to the phone's vpcd transport and back, p50 / p99.
 *
 * Measured twice: with the test harness's TCP_NODELAY shim preloaded into pcscd, and
 * without it (pcscd restarted in between). Debian's vpcd writes each frame's length and
 * payload in two send() calls, so without the shim Nagle's algorithm holds the payload for
 * the card's delayed ACK, ~40 ms per exchange. That figure is vpcd's, not ours, and real
 * readers and phones are far slower than either: nothing in the product is tuned to it.
 *
 * The card gives a fixed answer of certificate size (224 bytes + 9000) to READ CERTIFICATE,
 * so the figure is the transport's alone; the applet's PAY cost is measured in-process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { HCE_ATR, VpcdCard } from '../handset/transport/vpcd';
import { NfcPcscReader } from '../main/terminal/reader/pcsc/nfc-reader';
import { readCertificateCommand } from '../protocol';
import { privateStackProblem } from '../test/pcsc/support/stack';
import { percentile, report, roundMs } from './report';

const SCRIPT = fileURLToPath(new URL('../scripts/ci/pcscd.sh', import.meta.url));
const READER = 'Virtual PCD 00 00';
const ANSWER = Uint8Array.from([...new Uint8Array(224).fill(0xa5), 0x90, 0x00]);

function pcscd(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pcscd.sh ${args.join(' ')}: exit ${code}`)),
    );
  });
}

/** Round trips in ms, after `warmup` unmeasured ones. */
async function measure(reader: NfcPcscReader, count: number, warmup: number): Promise<number[]> {
  const command = readCertificateCommand();
  const times: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const start = process.hrtime.bigint();
    const response = await reader.transmit(command, READER);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (response.length !== ANSWER.length) throw new Error('unexpected answer');
    if (i >= warmup) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

async function session(label: string, count: number): Promise<void> {
  // nfc-pcsc's own SELECT on arrival reads into 40 bytes: that one gets a bare 9000.
  const processApdu = (command: Uint8Array): Uint8Array =>
    command[1] === 0xa4 ? Uint8Array.of(0x90, 0x00) : ANSWER;
  const card = new VpcdCard({ atr: HCE_ATR, processApdu });
  const reader = new NfcPcscReader({ acceptReader: (name) => name === READER });
  try {
    await reader.start();
    const arrived = once(reader, 'card', { signal: AbortSignal.timeout(10_000) }).catch(() => {
      throw new Error(`no card on ${READER} within 10 s: is vpcd loaded by pcscd?`);
    });
    card.insert();
    await arrived;
    const times = await measure(reader, count, Math.min(50, count));
    const metric = (name: string): string => `pcsc_apdu_round_trip_${label}_${name}`;
    report({
      bench: 'handset',
      metric: metric('p50'),
      value: roundMs(percentile(times, 50)),
      unit: 'ms',
    });
    report({
      bench: 'handset',
      metric: metric('p99'),
      value: roundMs(percentile(times, 99)),
      unit: 'ms',
    });
    report({ bench: 'handset', metric: metric('samples'), value: times.length, unit: 'count' });
  } finally {
    card.remove();
    reader.close();
  }
}

/**
 * Restarts pcscd twice, so only ever a private one: run it through scripts/pcsc-private.sh
 * (`bash scripts/pcsc-private.sh npm run bench -- handset`); elsewhere it is skipped, saying so.
 */
export async function run(): Promise<void> {
  const outside = privateStackProblem();
  if (outside !== undefined) {
    console.error(
      'handset PC/SC bench skipped: it restarts pcscd, so it runs only on a private one: ' +
        'bash scripts/pcsc-private.sh npm run bench -- handset',
    );
    return;
  }
  try {
    await pcscd('restart');
    await session('nodelay', 3_000);
    // Without the shim each exchange waits ~40 ms: fewer samples keep this under 10 s.
    await pcscd('restart', '--no-nodelay');
    await session('without_nodelay', 200);
  } finally {
    // Even a closed NFC object keeps @pokusew/pcsclite's monitor thread (and so this
    // process) alive while pcscd runs: stop it. It is ours alone, nobody else needs it.
    await pcscd('stop');
  }
}
