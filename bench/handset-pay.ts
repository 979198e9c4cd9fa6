/**
 * `npm run bench -- handset` (in-process part): what one PAY costs inside the phone —
 * parse, access checks, limits, counter increment, signing, sealing and the durable
 * write (fsync + rename) of the new state — measured at the applet's APDU entry so that
 * no transport is included. Requests are signed beforehand: that is the terminal's cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPhone, SimulatedClock } from '../handset';
import { PaymentRequest, parseResponse, payCommand, selectCommand } from '../protocol';
import { EUR, TestPlatform } from '../test/handset/support/platform';
import { terminalKey } from '../test/handset/support/terminal';
import { report } from './report';

const PAYMENTS = 400;
const IMEI = '490154203237518';
const IMSI = '310150123456789';

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
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
    phone.processApdu(selectCommand());

    const commands = Array.from({ length: PAYMENTS }, (_, i) =>
      payCommand(
        PaymentRequest.sign(
          {
            amount: 100 + i,
            currency: EUR,
            merchantId: 'M-BENCH',
            terminalId: 'T-BENCH',
            terminalTime: clock.now(),
            nonce: new Uint8Array(16).fill(i % 256),
          },
          terminalKey,
        ).encoded,
      ),
    );
    const times: number[] = [];
    for (const command of commands) {
      const start = process.hrtime.bigint();
      const { sw } = parseResponse(phone.processApdu(command));
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (sw !== 0x9000) throw new Error(`PAY refused: ${sw.toString(16)}`);
    }
    phone.close();
    times.sort((a, b) => a - b);
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    report({
      bench: 'handset',
      metric: 'pay_in_process_p50',
      value: round(percentile(times, 50)),
      unit: 'ms',
    });
    report({
      bench: 'handset',
      metric: 'pay_in_process_p99',
      value: round(percentile(times, 99)),
      unit: 'ms',
    });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
