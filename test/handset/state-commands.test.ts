/**
 * docs/protocol.md's state × command table, row by row: what every command answers in every
 * wallet state, with a certified terminal. Locked and wiped wallets show nothing; temporary
 * locks and the platform's disable refuse only PAY; DELIVER reaches every activated, unwiped
 * wallet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  Notification,
  presentTerminalCertificateCommand,
  SW,
  type WalletState,
} from '../../protocol';
import { DAY, HOUR } from './support/platform';
import { activatedRig, bareRig, OTHER_IMSI, removeTempDirs, type Rig } from './support/setup';

afterEach(removeTempDirs);

const params = { T: HOUR, T1: DAY, T2: 2 * DAY };

/** Brings an activated rig into `state` the way a user would. */
const into: Record<Exclude<WalletState, 'not_activated'>, (rig: Rig) => void> = {
  active: () => undefined,
  locked: (rig) => rig.phone.swapSim(OTHER_IMSI),
  temp_locked_power: (rig) => {
    rig.phone.powerOff();
    rig.clock.advance(DAY + 1);
    rig.phone.powerOn();
    rig.field.present(rig.phone);
  },
  temp_locked_network: (rig) => {
    rig.phone.loseSignal();
    rig.clock.advance(2 * DAY + 1);
  },
  disabled: (rig) => {
    const walletId = rig.phone.wallet.walletId as Uint8Array;
    rig.phone.wallet.applyNotice(Notification.decode(rig.platform.notice(walletId, 'disable')));
  },
  wiped: (rig) => {
    rig.phone.swapSim(OTHER_IMSI);
    rig.clock.advance(HOUR + 1);
  },
};

const fail = (): never => {
  throw new Error('the rig terminal holds a certificate');
};

/** A harmless notice (it suspends a certificate no test uses) for the DELIVER column. */
const suspendNotice = (rig: Rig): Uint8Array =>
  rig.platform.notice(rig.phone.wallet.walletId as Uint8Array, 'suspend_terminal', { serial: 1 });

const ok = SW.ok;
// state → [PRESENT, READ CERTIFICATE, READ FRESHNESS, READ LOG, PAY, DELIVER]
const TABLE: Record<WalletState, readonly number[]> = {
  not_activated: [0x9f0a, 0x9f0a, 0x9f0a, 0x9f0a, 0x9f0a, 0x9f0a],
  active: [ok, ok, ok, ok, ok, ok],
  locked: [0x9f01, 0x9f01, 0x9f01, 0x9f01, 0x9f01, ok],
  temp_locked_power: [ok, ok, ok, ok, 0x9f02, ok],
  temp_locked_network: [ok, ok, ok, ok, 0x9f03, ok],
  disabled: [ok, ok, ok, ok, 0x9f04, ok],
  wiped: [0x9f05, 0x9f05, 0x9f05, 0x9f05, 0x9f05, 0x9f05],
};

/** Every command once, in one session; `notice` is a platform-signed notice to DELIVER. */
async function answers(rig: Rig, notice: Uint8Array): Promise<number[]> {
  const { terminal } = rig;
  await terminal.select();
  const presented = await terminal.present(rig.terminal.certificate ?? fail());
  const certificate = (await terminal.readCertificate()).sw;
  const freshness = (await terminal.readFreshness()).sw;
  const log = (await terminal.readLog(4)).sw;
  const paid = (await terminal.pay(terminal.request(10), { select: false })).sw;
  const delivered = await terminal.deliver(notice);
  return [presented, certificate, freshness, log, paid, delivered];
}

describe('state × command', () => {
  it('not_activated', async () => {
    const rig = bareRig({ params });
    // A well-signed notice, of a wallet this phone does not have: it has none.
    const other = await activatedRig({ params });
    const notice = suspendNotice(other);
    expect((await rig.terminal.select()).fci?.walletState).toBe('not_activated');
    expect(await answers(rig, notice)).toEqual(TABLE.not_activated);
  });

  it.each(Object.keys(into) as (keyof typeof into)[])('%s', async (state) => {
    const rig = await activatedRig({ params });
    const walletId = rig.phone.wallet.walletId as Uint8Array;
    into[state](rig);
    const notice = rig.platform.notice(walletId, 'suspend_terminal', { serial: 1 });
    expect((await rig.terminal.select()).fci?.walletState).toBe(state);
    expect(await answers(rig, notice)).toEqual(TABLE[state]);
  });

  it('before SELECT, PRESENT is 6985 like every command but SELECT', async () => {
    const rig = await activatedRig();
    rig.field.remove();
    rig.field.present(rig.phone);
    const certificate = rig.terminal.certificate?.encoded as Uint8Array;
    const { sw } = await rig.terminal.send(presentTerminalCertificateCommand(certificate));
    expect(sw).toBe(SW.conditions_not_satisfied);
  });
});
