// The history screen's filters, turned into payments.list parameters.
import type { ApiParams, PaymentStatus } from '../../../../preload/api';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'approved',
  'voided',
  'settled',
  'rejected',
  'evidence',
];

export interface HistoryFilters {
  /** yyyy-mm-dd from a date input, or empty for any day. */
  readonly day: string;
  readonly status: PaymentStatus | '';
  readonly wallet: string;
}

export const PAGE_SIZE = 50;

/** The local day's start and end as unix seconds; undefined for an empty or bad date. */
export function dayRange(day: string): { from: number; to: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const start = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { from: start.getTime() / 1000, to: end.getTime() / 1000 - 1 };
}

export const WALLET_ID = /^[0-9a-f]{32}$/;

export function listParams(filters: HistoryFilters, page: number): ApiParams<'payments.list'> {
  const wallet = filters.wallet.trim().toLowerCase();
  return {
    ...dayRange(filters.day),
    ...(filters.status === '' ? {} : { status: filters.status }),
    ...(WALLET_ID.test(wallet) ? { walletId: wallet } : {}),
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  };
}
