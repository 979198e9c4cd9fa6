/**
 * `npm run bench -- handset` (in-process part): what one PAY costs inside the phone —
 * parse, access checks, limits, counter increment, signing, sealing and the durable
 * write (fsync + rename) of the new state — measured at the applet's APDU entry so that
 * no transport is included. Requests are signed beforehand: that is the terminal's cost.
 * Also what terminal authentication adds: PRESENT TERMINAL CERTIFICATE's time, and the
 * bytes and exchanges of a whole tap (SELECT, PRESENT, READ CERTIFICATE, READ FRESHNESS,
 * PAY) next to the tap without PRESENT.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPhone, LOG_CAPACITY, SimulatedClock } from '../handset';
import {
  PaymentRequest,
  parseResponse,
  payCommand,
  presentTerminalCertificateCommand,
  readCertificateCommand,
  readFreshnessCommand,
  selectCommand,
} from '../protocol';
import { EUR, TestPlatform } from '../test/handset/support/platform';
import { certifyTerminal, terminalKey } from '../test/handset/support/terminal';
import { percentile, report, roundMs } from './report';

const PAYMENTS = 400;
const IMEI = '490154203237518';
const IMSI = '310150123456789';

function reportTimes(metric: string, times: number[]): void {
  times.sort((a, b) => a - b);
  for (const p of [50, 99]) {
    report({
      bench: 'handset',
      metric: `${metric}_p${p}`,
      value: roundMs(percentile(times, p)),
      unit: 'ms',
    });
  }
}

/** Milliseconds one APDU takes at the applet's entry, and its response. */
function timed(process_: (command: Uint8Array) => Uint8Array, command: Uint8Array) {
  const start = process.hrtime.bigint();
  const response = process_(command);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, response };
}

export async function run(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-bench-pay-'));
  try {
    const clock = new SimulatedClock();
    // Limits high enough that the loop measures payments, not refusals.
    const platform = new TestPlatform(clock, {
      initialBalance: 100_000_000,
      limitPerPayment: 1_000_000,
      limitOfflineAmount: 100_000_000,
      limitOfflineCount: 65_535,
    });
    platform.register('ACC-BENCH', 'bench password');
    const phone = createPhone({ stateDir, imei: IMEI, imsi: IMSI, clock, platform });
    await phone.activate({ accountId: 'ACC-BENCH', password: 'bench password' });
    phone.present();
    const certificate = certifyTerminal(clock, {
      merchantId: 'M-BENCH',
      terminalId: 'T-BENCH',
    }).encoded;
    const apdu = (command: Uint8Array) => phone.processApdu(command);

    // A whole tap's bytes and exchanges, with and without terminal authentication.
    const tap = [
      selectCommand(),
      presentTerminalCertificateCommand(certificate),
      readCertificateCommand(),
      readFreshnessCommand(),
    ];
    let tapBytes = 0;
    let presentBytes = 0;
    for (const command of tap) {
      const bytes = command.length + apdu(command).length;
      tapBytes += bytes;
      if (command[1] === 0xd2) presentBytes = bytes;
    }
    const presentTimes: number[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const { ms, response } = timed(apdu, presentTerminalCertificateCommand(certificate));
      if (parseResponse(response).sw !== 0x9000) throw new Error('PRESENT refused');
      presentTimes.push(ms);
    }

    const commands = Array.from({ length: PAYMENTS }, (_, i) =>
      payCommand(
        PaymentRequest.sign(
          {
            amount: 100 + i,
            currency: EUR,
            merchantId: 'M-BENCH',
            terminalId: 'T-BENCH',
            terminalTime: clock.now(),
            nonce: new Uint8Array(randomBytes(16)),
          },
          terminalKey,
        ).encoded,
      ),
    );
    const times: number[] = [];
    let payBytes = 0;
    for (const command of commands) {
      const { ms, response } = timed(apdu, command);
      const { sw } = parseResponse(response);
      times.push(ms);
      payBytes = command.length + response.length;
      if (sw !== 0x9000) throw new Error(`PAY refused: ${sw.toString(16)}`);
    }
    // The same request again: answered from the log (its last LOG_CAPACITY records), nothing signed or
    // written.
    const recent = commands.slice(-LOG_CAPACITY);
    const replayTimes = [...recent, ...recent, ...recent].map((command) => {
      const { ms, response } = timed(apdu, command);
      if (parseResponse(response).sw !== 0x9000) throw new Error('replay refused');
      return ms;
    });
    phone.close();
    reportTimes('pay_in_process', times);
    reportTimes('pay_replay_in_process', replayTimes);
    reportTimes('present_terminal_certificate', presentTimes);
    const bytes = (metric: string, value: number, unit = 'bytes') =>
      report({ bench: 'handset', metric, value, unit });
    bytes('tap_apdu_bytes', tapBytes + payBytes);
    bytes('tap_apdu_bytes_without_present', tapBytes + payBytes - presentBytes);
    bytes('present_apdu_bytes', presentBytes);
    bytes('tap_exchanges', tap.length + 1, 'count');
    bytes('tap_exchanges_without_present', tap.length, 'count');
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
