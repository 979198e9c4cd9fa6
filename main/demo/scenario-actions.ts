/**
 * The panel's actions for S9, S10 and S12, beside the older ones in actions.ts: an unlock
 * with wrong registration details (refused, then rate-limited: the platform's AttemptLimiter
 * allows 5 failures per wallet and per address in 15 minutes, and audits each), a sync that
 * also reads what the platform's ledger holds for the wallet (S10's settled balance), and a
 * clone of the wallet spent at the second terminal (S12).
 */
import { PlatformRequestError } from '../../handset';
import type { DemoOperator } from './operator';
import type { Note } from './notes';
import type { DemoPhone } from './phones';

export interface ScenarioWorld {
  readonly operator: DemoOperator;
  readonly note: Note;
  /** S10: the platform's balance of each phone's wallet (by phoneId), read at its last sync. */
  readonly platformBalances: Map<string, number>;
  /** S12: the wallet copied, the copy spending `amount` at DEMO-T2, DEMO-T2 settled. */
  spendClone(target: DemoPhone, amount: number | undefined): Promise<void>;
}

/**
 * S9: the phone asks for an unlock with a wrong password. The platform's refusal is what the
 * presenter came to see, so it is a note, not an error; anything else (phone off, no signal)
 * fails the action as usual.
 */
export async function unlockWithWrongDetails(world: ScenarioWorld, target: DemoPhone) {
  const label = target.record.label;
  const wrong = { ...target.registration, password: `${target.registration.password}-wrong` };
  try {
    await target.phone.requestUnlock(wrong);
  } catch (error) {
    if (error instanceof PlatformRequestError && error.code === 'rate_limited') {
      world.note('unlock_rate_limited', label, { seconds: error.details.retryAfterSeconds ?? 0 });
      return;
    }
    if (error instanceof PlatformRequestError && error.platformCode === 'registration_mismatch') {
      world.note('unlock_refused', label, { value: error.details.field ?? 'registration' });
      return;
    }
    throw error;
  }
  throw new Error('the platform unlocked a wallet for wrong registration details');
}

/** S10: after a sync, what the platform's ledger holds for the wallet is shown too. */
export async function confirmBalance(
  world: ScenarioWorld,
  target: DemoPhone,
  walletId: string,
): Promise<void> {
  const wallet = await world.operator.call<{ balance: number; currency: number; status: string }>(
    'GET',
    `/v1/wallets/${walletId}`,
  );
  world.platformBalances.set(target.record.phoneId, wallet.balance);
  world.note('platform_confirmed', target.record.label, {
    amount: wallet.balance,
    currency: wallet.currency,
    value: wallet.status,
  });
}
