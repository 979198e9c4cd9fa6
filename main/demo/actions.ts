/**
 * The demo panel's buttons (preload/contract/methods.ts DEMO_ACTIONS), each doing what a
 * user, a cashier or an operator does in the scenarios of SCENARIOS.md: the phone on and
 * off the reader (S2, S11), SIM and handset swapped (S3), power and signal (S7, S8), a sync,
 * the operator's lost report (S5) and top-up, the user's unlock (S7-S9) and re-activation
 * on a new phone (S6); scenario-actions.ts adds S9's wrong unlock, S10's confirmed balance
 * and S12's clone.
 */
import { randomUUID } from 'node:crypto';
import type { InProcessField } from '../../handset';
import { INS } from '../../protocol';
import type { DemoAction } from '../../preload/contract';
import { demoError } from './errors';
import type { DemoOperator } from './operator';
import type { DemoPhone } from './phones';
import { confirmBalance, unlockWithWrongDetails, type ScenarioWorld } from './scenario-actions';

export interface ActionWorld extends ScenarioWorld {
  readonly field: InProcessField;
  readonly operator: DemoOperator;
  /** S6: a new phone for the same user, holding the lost wallet's e-cash. */
  reactivate(old: DemoPhone): Promise<DemoPhone>;
}

export async function runAction(
  world: ActionWorld,
  target: DemoPhone,
  action: DemoAction,
  amount: number | undefined,
): Promise<void> {
  const { phone } = target;
  const { field } = world;
  switch (action) {
    case 'tap':
      requirePowered(target);
      // A phone left on the reader after its last sale is lifted and tapped again: the
      // presenter's "tap" must reach the terminal as a new tap, not be lost as a no-op.
      if (field.current === phone) field.remove('lifted to tap again');
      field.present(phone);
      return;
    case 'pull_away':
      if (field.current !== phone) {
        throw demoError('not_on_reader', `${target.record.label} is not on the reader`);
      }
      field.remove('pulled away');
      return;
    case 'tear_next':
      // S11: the phone signs and stores the next PAY, then leaves before the terminal
      // reads the answer; the terminal's next tap of it completes that same payment.
      requirePowered(target);
      field.tearAfterProcessing((command) => command[1] === INS.pay && field.current === phone);
      field.present(phone);
      return;
    case 'swap_sim':
      target.swapSim();
      return;
    case 'swap_device':
      target.swapDevice();
      return;
    case 'power_off':
      phone.powerOff();
      return;
    case 'power_on':
      phone.powerOn();
      return;
    case 'signal_off':
      phone.loseSignal();
      return;
    case 'signal_on':
      phone.regainSignal();
      return;
    case 'sync':
      await phone.sync();
      await confirmBalance(world, target, walletIdOf(target));
      return;
    case 'unlock':
      await phone.requestUnlock(target.registration);
      return;
    case 'report_lost':
      await world.operator.call('POST', '/v1/lost-reports', {
        walletId: walletIdOf(target),
        reason: 'lost',
      });
      return;
    case 'reactivate':
      await world.reactivate(target);
      return;
    case 'top_up':
      if (amount === undefined || !Number.isSafeInteger(amount) || amount < 1) {
        throw demoError('invalid_amount', 'a top-up needs a whole, positive amount in minor units');
      }
      // From the user's account to the wallet; the phone hears of it by push (or its next
      // sync when offline) and adds the amount.
      await world.operator.call('POST', `/v1/wallets/${walletIdOf(target)}/top-up`, {
        amount,
        requestId: randomUUID(),
      });
      return;
    case 'unlock_wrong':
      await unlockWithWrongDetails(world, target);
      return;
    case 'clone_spend':
      await world.spendClone(target, amount);
      return;
    default:
      throw demoError('unknown_action', `there is no demo action ${String(action)}`);
  }
}

export function walletIdOf(target: DemoPhone): string {
  const walletId = target.phone.snapshot().wallet.walletId;
  if (walletId === undefined) {
    throw demoError('not_activated', `${target.record.label} has no activated wallet`);
  }
  return walletId;
}

function requirePowered(target: DemoPhone): void {
  if (!target.phone.powered) {
    throw demoError('phone_off', `${target.record.label} is switched off: power it on first`);
  }
}
