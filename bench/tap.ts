/**
 * `npm run bench -- tap`: the terminal's tap, end to end, with real phones, the real
 * checkout and the real ledger file (test/terminal/faults/support/durable-till.ts).
 *
 * - emulated reader: tap → decision, from the phone entering the field (the driver's own
 *   SELECT included) to the "approved" state event, which is published only after the
 *   payment is committed. Goal p99 ≤ 5 ms. TAP_BENCH_TAPS taps (default 1,000). The same
 *   without the emulated phone's own time (its signing and fsynced wallet file), which a
 *   real phone spends on its own hardware.
 * - pcscd + vpcd with the NODELAY shim (only inside scripts/pcsc-private.sh, else one line
 *   says it was skipped): tap → decision from the card handed to the checkout (SELECT on
 *   arrival answered: the "reading" state) to "approved", the APDUs exchanged in that
 *   window, and the bare APDU round trip (a fixed 9000 answer) in the same pcscd session.
 *   Goal p99 ≤ floor × count + 5 ms, floor = the bare round trip's p50. A re-tap on vpcd
 *   needs the card out for one presence poll (~0.5 s): TAP_BENCH_PCSC_TAPS (default 60).
 * - the ledger's commit latency (bench/ledger.ts) and the 1M-wallet hotlist
 *   (bench/hotlist.ts), run as they are.
 * - kill -9 at random moments over ≥ TAP_BENCH_KILL_PAYMENTS acknowledged payments
 *   (default 1,000), with its loss counts (test/terminal/faults/support/kill-loop.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Phone } from '../handset';
import { HCE_ATR, VpcdCard, virtualCardOf } from '../handset/transport/vpcd';
import { PcscReaderDriver } from '../main/terminal/reader/pcsc/driver';
import type { CheckoutStateEvent } from '../main/terminal/checkout';
import { pcscdScript, privateStackProblem } from '../test/pcsc/support/stack';
import {
  activatePhones,
  EUR,
  openDurableTill,
  type DurableTill,
} from '../test/terminal/faults/support/durable-till';
import { killLoop } from '../test/terminal/faults/support/kill-loop';
import { run as hotlist } from './hotlist';
import { run as ledger } from './ledger';
import { percentile, report, roundMs } from './report';

const TAPS = Number(process.env.TAP_BENCH_TAPS ?? 1_000);
const PCSC_TAPS = Number(process.env.TAP_BENCH_PCSC_TAPS ?? 60);
const KILL_PAYMENTS = Number(process.env.TAP_BENCH_KILL_PAYMENTS ?? 1_000);
const VPCD_READER = 'Virtual PCD 00 00';
const figure = (metric: string, value: number, unit: string) =>
  report({ bench: 'tap', metric, value, unit });
const now = () => Number(process.hrtime.bigint()) / 1e6;

function latencies(name: string, ms: number[]): void {
  ms.sort((a, b) => a - b);
  figure(`${name}_p50`, roundMs(percentile(ms, 50)), 'ms');
  figure(`${name}_p99`, roundMs(percentile(ms, 99)), 'ms');
  figure(`${name}_max`, roundMs(ms.at(-1) ?? 0), 'ms');
  figure(`${name}_samples`, ms.length, 'count');
}

/** When each sale reached a state, by the terminal's own (synchronous) events. */
class StateTimes {
  readonly at = new Map<string, number>();
  readonly publish = (event: string, payload: unknown): void => {
    if (event !== 'checkout.state') return;
    const { saleId, state } = payload as CheckoutStateEvent;
    this.at.set(`${saleId}:${state}`, now());
  };
  of(saleId: string, state: CheckoutStateEvent['state']): number {
    const at = this.at.get(`${saleId}:${state}`);
    if (at === undefined) throw new Error(`sale ${saleId} never reached ${state}`);
    return at;
  }
}

/** Resolves once the sale reached `state` (the card arrived: a wait of up to a second). */
async function untilState(
  times: StateTimes,
  saleId: string,
  state: CheckoutStateEvent['state'],
): Promise<void> {
  while (!times.at.has(`${saleId}:${state}`)) await sleep(1);
}

async function approved(till: DurableTill, saleId: string): Promise<void> {
  const result = await till.checkout.outcome(saleId);
  if (result.state !== 'approved') {
    throw new Error(`tap bench: a sale was ${result.state}: ${JSON.stringify(result.decline)}`);
  }
}

async function emulated(dir: string): Promise<void> {
  const phones = 4;
  await activatePhones(dir, phones);
  const times = new StateTimes();
  const till = await openDurableTill(dir, { phones, publish: times.publish });
  let apdus = 0;
  till.beforeTransmit = () => apdus++;
  // The emulated phone's own work (signing, its wallet file written and fsynced) is inside
  // the figure; a real phone does it on its own CPU and flash. Measured apart to show it.
  let phoneMs = 0;
  for (const phone of till.phones) {
    const own = phone.processApdu.bind(phone);
    phone.processApdu = (command) => {
      const start = now();
      try {
        return own(command);
      } finally {
        phoneMs += now() - start;
      }
    };
  }
  const ms: number[] = [];
  const terminalMs: number[] = [];
  const warmup = Math.min(100, TAPS);
  try {
    for (let i = 0; i < warmup + TAPS; i++) {
      const phone = till.phones[i % phones] as Phone;
      const sale = await till.checkout.start({ amount: 1 + (i % 99), currency: EUR });
      till.field.remove('next customer');
      apdus = 0;
      phoneMs = 0;
      const start = now();
      till.field.present(phone);
      await approved(till, sale.saleId);
      const decision = times.of(sale.saleId, 'approved') - start;
      if (i >= warmup) ms.push(decision);
      if (i >= warmup) terminalMs.push(decision - phoneMs);
    }
  } finally {
    await till.close();
  }
  latencies('emulated_tap_to_decision', ms);
  latencies('emulated_tap_to_decision_without_phone', terminalMs);
  figure('emulated_apdus_per_tap', apdus, 'count');
}

/** The bare round trip: a card answering 9000 to anything, through the same driver. */
async function bareRoundTrip(till: DurableTill, count: number): Promise<number[]> {
  const card = new VpcdCard(
    { atr: HCE_ATR, processApdu: () => Uint8Array.of(0x90, 0x00) },
    { minBackoffMs: 50, maxBackoffMs: 400 },
  );
  const arrival = till.readers.waitForCard(VPCD_READER, AbortSignal.timeout(10_000));
  card.insert();
  try {
    const inField = await arrival;
    const command = Uint8Array.of(0x80, 0xca, 0x00, 0x00, 0x00);
    const ms: number[] = [];
    for (let i = 0; i < 50 + count; i++) {
      const start = now();
      await inField.exchange(command);
      if (i >= 50) ms.push(now() - start);
    }
    return ms.sort((a, b) => a - b);
  } finally {
    card.remove('bench over');
  }
}

async function pcsc(dir: string): Promise<void> {
  await pcscdScript('restart'); // with the NODELAY shim (scripts/ci/pcscd.sh's default)
  await activatePhones(dir, 1);
  const times = new StateTimes();
  const driver = new PcscReaderDriver({ acceptReader: (name) => name === VPCD_READER });
  const till = await openDurableTill(dir, { phones: 1, driver, publish: times.publish });
  const phone = till.phones[0] as Phone;
  const inner = virtualCardOf(phone, HCE_ATR);
  const exchanged: number[] = [];
  let phoneMs = 0;
  const card = new VpcdCard(
    {
      ...inner,
      processApdu(command) {
        const start = now();
        exchanged.push(start);
        try {
          return inner.processApdu(command);
        } finally {
          phoneMs += now() - start;
        }
      },
    },
    { minBackoffMs: 50, maxBackoffMs: 400 },
  );
  const ms: number[] = [];
  const terminalMs: number[] = [];
  let apdus = 0;
  try {
    const warmup = Math.min(5, PCSC_TAPS);
    for (let i = 0; i < warmup + PCSC_TAPS; i++) {
      const sale = await till.checkout.start({ amount: 1 + (i % 99), currency: EUR });
      exchanged.length = 0;
      card.insert();
      await untilState(times, sale.saleId, 'reading');
      phoneMs = 0;
      await approved(till, sale.saleId);
      const reading = times.of(sale.saleId, 'reading');
      const decided = times.of(sale.saleId, 'approved');
      apdus = exchanged.filter((at) => at >= reading).length;
      if (i >= warmup) ms.push(decided - reading);
      if (i >= warmup) terminalMs.push(decided - reading - phoneMs);
      card.remove('next customer'); // back in after one presence poll (VpcdCard waits)
    }
    await sleep(600); // pcscd sees the slot empty before the bare card comes
    const bare = await bareRoundTrip(till, 1_000);
    latencies('pcsc_tap_to_decision', ms);
    latencies('pcsc_tap_to_decision_without_phone', terminalMs);
    figure('pcsc_apdus_per_tap', apdus, 'count');
    const floor = percentile(bare, 50);
    figure('pcsc_bare_apdu_round_trip_p50', roundMs(floor), 'ms');
    figure('pcsc_bare_apdu_round_trip_p99', roundMs(percentile(bare, 99)), 'ms');
    figure('pcsc_tap_goal_p99', roundMs(floor * apdus + 5), 'ms');
  } finally {
    card.remove('bench over');
    await till.close();
    // nfc-pcsc's monitor thread keeps the process alive while pcscd runs: stop ours.
    await pcscdScript('stop');
  }
}

async function kills(dir: string): Promise<void> {
  const result = await killLoop({
    dir,
    phones: 3,
    kills: 1,
    minAcknowledged: KILL_PAYMENTS,
    maxDelayMs: 500,
  });
  if (result.problems.length > 0 || result.phoneMismatches.length > 0) {
    throw new Error(`kill -9 run: ${[...result.problems, ...result.phoneMismatches].join('; ')}`);
  }
  figure('kill9_kills', result.kills, 'count');
  figure('kill9_acknowledged', result.acknowledged, 'count');
  figure('kill9_lost', result.lost, 'count');
  figure('kill9_duplicated', result.duplicated, 'count');
  figure('kill9_startup_check_failures', result.startupFailures, 'count');
  figure('kill9_torn_pending', result.tornPending, 'count');
  figure('kill9_torn_completed', result.tornCompleted, 'count');
  figure('kill9_torn_abandoned', result.tornAbandoned, 'count');
  figure('kill9_wall', Math.round(result.wallMs / 1_000), 's');
}

async function inTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tapsafe-tap-bench-'));
  try {
    await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await inTempDir(emulated);
  const outside = privateStackProblem();
  if (outside === undefined) await inTempDir(pcsc);
  else {
    console.error(
      'tap bench: PC/SC part skipped (it restarts pcscd, so it runs only on a private one: ' +
        'bash scripts/pcsc-private.sh npm run bench -- tap)',
    );
  }
  ledger();
  await hotlist();
  await inTempDir(kills);
}
