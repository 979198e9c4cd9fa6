/** The wallet's events: every state change and every money movement, for the demo panel. */
import type { NotificationType, WalletState } from '../../protocol';

export interface StateChangeEvent {
  readonly from: WalletState;
  readonly to: WalletState;
  readonly at: number;
  readonly reason: string;
}

export interface PaymentEvent {
  readonly counter: number;
  readonly amount: number;
  readonly currency: number;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly balanceAfter: number;
  /** The signed PaymentRecord envelope, as answered to the terminal. */
  readonly record: Uint8Array;
}

export interface RefusalEvent {
  readonly operation: 'pay' | 'notice' | 'terminal';
  readonly sw: number;
  readonly reason: string;
  readonly at: number;
}

export interface NoticeEvent {
  readonly sequence: number;
  readonly type: NotificationType;
  readonly via: 'terminal' | 'platform';
  readonly at: number;
}

export interface BalanceEvent {
  readonly balance: number;
  readonly change: number;
  readonly reason: string;
}

export interface WalletEvents {
  state: StateChangeEvent;
  payment: PaymentEvent;
  refusal: RefusalEvent;
  notice: NoticeEvent;
  balance: BalanceEvent;
  activation: { readonly walletId: string; readonly at: number };
  sync: { readonly at: number; readonly freshnessApplied: boolean; readonly notices: number };
}
