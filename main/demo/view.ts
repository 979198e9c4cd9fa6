/** What the demo panel shows (preload/contract/views.ts DemoView), built from the phones. */
import type { InProcessField } from '../../handset';
import type { WalletPolicy } from '../../platform/activation/policy';
import type { DemoNote, DemoPhoneView, DemoView } from '../../preload/contract';
import type { DemoPhone } from './phones';

export function phoneView(
  demoPhone: DemoPhone,
  field: InProcessField,
  platformBalance?: number,
): DemoPhoneView {
  const { phone, record } = demoPhone;
  const { device, wallet } = phone.snapshot();
  return {
    phoneId: record.phoneId,
    label: record.label,
    imei: device.identity.imei,
    imsi: device.identity.imsi,
    powered: device.powered,
    signal: device.signal,
    walletState: wallet.state,
    walletId: wallet.walletId ?? null,
    balance: wallet.balance ?? 0,
    currency: wallet.currency ?? 0,
    counter: wallet.counter ?? 0,
    onReader: field.current === phone,
    log: wallet.log.map((entry) => ({
      counter: entry.counter,
      amount: entry.amount,
      terminalId: entry.terminalId,
      terminalTime: entry.terminalTime,
    })),
    ...(platformBalance === undefined ? {} : { platformBalance }),
  };
}

export function demoView(input: {
  readonly phones: readonly DemoPhone[];
  readonly field: InProcessField;
  readonly now: number;
  readonly offsetSeconds: number;
  readonly policy: WalletPolicy;
  readonly platformOnline: boolean;
  /** S10: the platform's balance per phoneId, read at the phone's last panel sync. */
  readonly platformBalances?: ReadonlyMap<string, number>;
  readonly notes?: readonly DemoNote[];
}): DemoView {
  return {
    phones: input.phones.map((phone) =>
      phoneView(phone, input.field, input.platformBalances?.get(phone.record.phoneId)),
    ),
    clock: { now: input.now, offsetSeconds: input.offsetSeconds },
    timers: { T: input.policy.T, T1: input.policy.T1, T2: input.policy.T2 },
    platformOnline: input.platformOnline,
    ...(input.notes === undefined ? {} : { notes: input.notes }),
  };
}
