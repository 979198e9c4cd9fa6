/**
 * Phones added after the first start. S1 on the panel: a new demo user registered by the demo's operator (money in the account),
 * a new phone with its own IMEI and IMSI activated through the platform's real activation
 * API — the platform checks the user, binds the phone, issues the wallet certificate and
 * loads the e-cash; the phone seals record, key and e-cash in its folder — and remembered
 * in demo.json like the phones made at the first start. S6: the same user's new phone,
 * taking over the lost wallet's e-cash.
 */
import { TerminalError } from '../terminal/errors';
import { walletIdOf } from './actions';
import { demoError } from './errors';
import type { Note } from './notes';
import type { DemoOperator } from './operator';
import {
  createFundedPhone,
  createReplacementPhone,
  newRecord,
  type DemoPhone,
  type PhoneContext,
} from './phones';
import { takePhoneNumber, type DemoPhoneRecord, type DemoStateFile } from './state-file';

export interface AddPhoneInput {
  readonly ctx: PhoneContext;
  readonly stateFile: DemoStateFile;
  readonly phones: readonly DemoPhone[];
  /** The new user's name, shown as the phone's label: unique among the demo's phones. */
  readonly label: string;
  readonly note: Note;
}

export async function addFundedPhone(input: AddPhoneInput): Promise<DemoPhone> {
  const label = input.label.trim();
  if (input.phones.some((p) => p.record.label === label)) {
    throw demoError('label_taken', `there is a demo phone called ${label} already`);
  }
  const record = newRecord(`phone-${takePhoneNumber(input.stateFile)}`, label);
  const phone = await createFundedPhone(input.ctx, record);
  input.stateFile.update((s) => ({ ...s, phones: [...s.phones, record] }));
  const { device, wallet } = phone.phone.snapshot();
  input.note('phone_activated', label, {
    value: `IMEI ${device.identity.imei}, IMSI ${device.identity.imsi}`,
    amount: wallet.balance ?? 0,
    currency: wallet.currency ?? 0,
  });
  return phone;
}

export interface ReplacementInput {
  readonly ctx: PhoneContext;
  readonly stateFile: DemoStateFile;
  readonly operator: DemoOperator;
  readonly old: DemoPhone;
}

export async function addReplacementPhone(input: ReplacementInput): Promise<DemoPhone> {
  const { old } = input;
  const walletId = walletIdOf(old);
  // The platform moves only a wallet reported lost (a phone upgrade reports the old
  // phone first); one reported already is fine.
  await input.operator
    .call('POST', '/v1/lost-reports', { walletId, reason: 'lost' })
    .catch((error: unknown) => {
      const refused = error instanceof TerminalError && error.code === 'platform_refused';
      if (!refused || error.details?.platformCode !== 'wallet_already_revoked') throw error;
    });
  const record: DemoPhoneRecord = {
    ...old.record,
    phoneId: `phone-${takePhoneNumber(input.stateFile)}`,
    label: `${old.record.label.replace(/ \(new phone\)$/, '')} (new phone)`,
  };
  const phone = await createReplacementPhone(input.ctx, record, walletId);
  input.stateFile.update((s) => ({ ...s, phones: [...s.phones, record] }));
  return phone;
}
