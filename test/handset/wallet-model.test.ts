/**
 * Model-based test (fast-check commands): random sequences of everything that can happen
 * to a phone — payments, torn taps, SIM and handset swaps, power and signal changes, time
 * jumps, notices (genuine, replayed, forged), syncs, unlocks, app restarts. Whatever the
 * order: the balance never goes negative and always equals what the model expects, a
 * counter is never signed twice, and only an active wallet ever signs.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  INS,
  Notification,
  PaymentRecord,
  SW,
  WalletCertificate,
  type NotificationType,
} from '../../protocol';
import { stateStatusWord } from '../../handset/wallet/access-control';
import { DAY, HOUR, strangerKey } from './support/platform';
import {
  activatedRig,
  IMEI,
  IMSI,
  OTHER_IMEI,
  OTHER_IMSI,
  REGISTRATION,
  removeTempDirs,
  type Rig,
} from './support/setup';

afterEach(removeTempDirs);

interface Model {
  balance: number;
  counter: number;
  counters: Set<number>;
  /** Money each issued notice carries, by sequence: credited when the wallet applies it. */
  credits: Map<number, number>;
  lastNotice: Uint8Array | undefined;
}

interface Real {
  rig: Rig;
  walletKey: Uint8Array;
  walletId: Uint8Array;
}

type Command = fc.AsyncCommand<Model, Real>;

function present(real: Real): void {
  const { rig } = real;
  if (rig.phone.powered && rig.field.current !== rig.phone) rig.field.present(rig.phone);
}

/** Cross-checks after every command: the phone's own view must match the model. */
function checkInvariants(model: Model, real: Real): void {
  const wallet = real.rig.phone.snapshot().wallet;
  if (wallet.balance !== undefined) {
    expect(wallet.balance).toBeGreaterThanOrEqual(0);
    expect(wallet.balance).toBe(model.balance);
  }
  if (wallet.counter !== undefined) expect(wallet.counter).toBe(model.counter);
  expect(real.rig.internalErrors).toEqual([]);
}

/** A signed record the model accepts: new counter, right key, active wallet, money adds up. */
function acceptRecord(model: Model, real: Real, encoded: Uint8Array, amount: number): void {
  const record = PaymentRecord.decode(encoded);
  PaymentRecord.verify(record, real.walletKey);
  expect(model.counters.has(record.value.counter)).toBe(false);
  expect(record.value.counter).toBe(model.counter + 1);
  expect(record.value.balanceAfter).toBe(model.balance - amount);
  model.counters.add(record.value.counter);
  model.counter = record.value.counter;
  model.balance = record.value.balanceAfter;
}

const command = (
  name: string,
  run: (model: Model, real: Real) => Promise<void> | void,
): Command => ({
  check: () => true,
  run: async (model, real) => {
    await run(model, real);
    checkInvariants(model, real);
  },
  toString: () => name,
});

const pay = (amount: number, torn: boolean): Command =>
  command(`${torn ? 'tornPay' : 'pay'}(${amount})`, async (model, real) => {
    const { rig } = real;
    present(real);
    const before = rig.phone.powered ? rig.phone.wallet.currentState() : undefined;
    const request = rig.terminal.request(amount);
    if (!rig.phone.powered) {
      await expect(rig.terminal.pay(request)).rejects.toThrow();
      return;
    }
    await rig.terminal.select();
    if (torn) rig.field.tearAfterProcessing((c) => c[1] === INS.pay);
    const result = await rig.terminal.pay(request, { select: false }).catch(() => undefined);
    if (torn) {
      // The terminal never saw the answer; the wallet's log tells whether it signed.
      expect(result).toBeUndefined();
      present(real);
      const newest = rig.phone.wallet.log(1, rig.terminal.certificate);
      const signed = newest.ok && newest.value[0]?.value.counter === model.counter + 1;
      if (signed) {
        expect(before).toBe('active');
        expect(Buffer.from(newest.value[0]?.value.nonce ?? []).equals(request.value.nonce)).toBe(
          true,
        );
        acceptRecord(model, real, (newest.value[0] as { encoded: Uint8Array }).encoded, amount);
      }
      return;
    }
    if (result?.sw === SW.ok) {
      expect(before).toBe('active');
      acceptRecord(model, real, (result.record as { encoded: Uint8Array }).encoded, amount);
    } else if (before !== 'active') {
      expect(result?.sw).toBe(stateStatusWord(before as NonNullable<typeof before>));
    }
  });

const deliver = (type: NotificationType, amount: number): Command =>
  command(`deliver(${type}, ${amount})`, async (model, real) => {
    const { rig } = real;
    const notice = rig.platform.notice(real.walletId, type, { amount });
    const { sequence } = Notification.decode(notice).value;
    model.credits.set(sequence, type === 'top_up' || type === 'balance_update' ? amount : 0);
    model.lastNotice = notice;
    present(real);
    if (!rig.phone.powered) return;
    await rig.terminal.select();
    if ((await rig.terminal.deliver(notice)) === SW.ok)
      model.balance += model.credits.get(sequence) ?? 0;
  });

const hostile = (kind: 'replay' | 'forged'): Command =>
  command(kind, async (model, real) => {
    const { rig } = real;
    present(real);
    if (!rig.phone.powered) return;
    const notice =
      kind === 'replay'
        ? model.lastNotice
        : rig.platform.notice(real.walletId, 'unlock', { key: strangerKey, sequence: 1e9 });
    if (notice === undefined) return;
    await rig.terminal.select();
    const sw = await rig.terminal.deliver(notice);
    if (kind === 'forged') expect(sw).not.toBe(SW.ok);
    // A "replay" succeeds only when the first delivery was refused unconsumed (say, the
    // wallet was locked then): it is then the first application, and credits once.
    else if (sw === SW.ok) {
      model.balance += model.credits.get(Notification.decode(notice).value.sequence) ?? 0;
    }
  });

const online = (kind: 'sync' | 'unlock'): Command =>
  command(kind, async (model, real) => {
    const { phone } = real.rig;
    const reachable = phone.powered && phone.device.signal;
    const attempt = kind === 'sync' ? phone.sync() : phone.requestUnlock(REGISTRATION);
    if (!reachable) {
      await expect(attempt).rejects.toThrow();
      return;
    }
    const outcome = await attempt;
    for (const notice of outcome.notices) {
      if (notice.result.ok && notice.sequence !== undefined) {
        model.balance += model.credits.get(notice.sequence) ?? 0;
      }
    }
  });

const device = (name: string, act: (real: Real) => void): Command =>
  command(name, (_model, real) => act(real));

const payments = fc
  .tuple(fc.integer({ min: 1, max: 6_000 }), fc.boolean())
  .map(([a, t]) => pay(a, t));
const smallPayments = fc.integer({ min: 1, max: 2_000 }).map((a) => pay(a, false));
const unlocks = fc.constant(online('unlock'));

// fast-check picks among these evenly: repeats weight the common events, and frequent
// unlocks bring the wallet back to active so that locks keep being tested against payments.
const commands = [
  payments,
  smallPayments,
  smallPayments,
  unlocks,
  fc
    .tuple(
      fc.oneof(
        // Wipes end a run's interesting part, so they come rarely.
        {
          weight: 12,
          arbitrary: fc.constantFrom<NotificationType>(
            'lock',
            'disable',
            'unlock',
            'unlock',
            'top_up',
            'balance_update',
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom<NotificationType>('wipe', 'migrate_out') },
      ),
      fc.integer({ min: 0, max: 5_000 }),
    )
    .map(([type, amount]) => deliver(type, amount)),
  fc.constantFrom('replay' as const, 'forged' as const).map(hostile),
  fc.constantFrom('sync' as const, 'unlock' as const).map(online),
  fc
    .constantFrom(IMSI, IMSI, OTHER_IMSI)
    .map((imsi) => device(`swapSim(${imsi})`, (r) => r.rig.phone.swapSim(imsi))),
  fc
    .constantFrom(IMEI, IMEI, OTHER_IMEI)
    .map((imei) => device(`swapDevice(${imei})`, (r) => r.rig.phone.swapDevice(imei))),
  fc.constant(device('powerOff', (r) => r.rig.phone.powerOff())),
  fc.constant(device('powerOn', (r) => r.rig.phone.powerOn())),
  fc.constant(device('loseSignal', (r) => r.rig.phone.loseSignal())),
  fc.constant(device('regainSignal', (r) => r.rig.phone.regainSignal())),
  fc
    .constantFrom(60, HOUR + 1, DAY + 1, 2 * DAY + 1, 3 * DAY)
    .map((s) => device(`advance(${s})`, (r) => void r.rig.clock.advance(s))),
  fc.constant(
    device('restart', (r) => {
      const { imei, imsi } = r.rig.phone.device.identity;
      r.rig.reopen({ imei, imsi });
    }),
  ),
];

describe('wallet model', () => {
  it('keeps money and counters right under any sequence of events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 60, size: 'max' }), async (cmds) => {
        const rig = await activatedRig({ params: { T: HOUR, T1: DAY, T2: 2 * DAY } });
        await rig.terminal.select();
        const cert = WalletCertificate.decode((await rig.terminal.readCertificate()).data);
        const model: Model = {
          balance: rig.platform.policy.initialBalance,
          counter: 0,
          counters: new Set(),
          credits: new Map(),
          lastNotice: undefined,
        };
        const real: Real = {
          rig,
          walletKey: cert.value.walletPublicKey,
          walletId: cert.value.walletId,
        };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        rig.phone.close();
      }),
      { numRuns: 60 },
    );
  });
});
