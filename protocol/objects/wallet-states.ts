/** The wallet's states as SELECT's FCI reports them, numbered from 01 in this order (DF2E). */
export const WALLET_STATES = [
  'not_activated',
  'active',
  'locked',
  'temp_locked_power',
  'temp_locked_network',
  'disabled',
  'wiped',
] as const;
export type WalletState = (typeof WALLET_STATES)[number];
