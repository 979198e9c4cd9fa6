/** How the CLI prints a phone: one line per change, readable at a glance in a terminal. */
import type { PhoneSnapshot } from '../phone';
import type { ReactivationReport } from '../platform-client';

const money = (minor: number): string => (minor / 100).toFixed(2);

export function describePhone(snapshot: PhoneSnapshot): string {
  const { device, wallet } = snapshot;
  const parts = [
    `${snapshot.name}`,
    `state=${wallet.state}`,
    device.powered ? 'on' : 'off',
    device.signal ? 'signal' : 'no-signal',
    snapshot.inField ? 'in-field' : 'idle',
    `imei=${device.identity.imei}`,
    `imsi=${device.identity.imsi}`,
  ];
  if (wallet.walletId !== undefined) parts.push(`wallet=${wallet.walletId}`);
  if (wallet.balance !== undefined) parts.push(`balance=${money(wallet.balance)}`);
  if (wallet.counter !== undefined) parts.push(`counter=${wallet.counter}`);
  if (wallet.reason) parts.push(`(${wallet.reason})`);
  return parts.join('  ');
}

/** What a re-activation moved: the e-cash now on the phone, the hold and when it ends. */
export function describeReactivation(report: ReactivationReport): string {
  const until = new Date(report.holdUntil * 1000).toISOString();
  return `moved ${money(report.moved)} from wallet ${report.oldWalletId}; ${money(report.held)} held until ${until}`;
}
