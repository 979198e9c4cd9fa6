/** What the reader service publishes (through the injected `publish`), by event name. */
import type { ReaderInfo } from './reader';

export interface ReaderStatusEvent {
  readonly level: 'info' | 'warning' | 'error';
  /** One line for the merchant: "pcscd went away; waiting for it", "PC/SC ready again"… */
  readonly message: string;
  /** Unix seconds, from the service's clock. */
  readonly at: number;
  /** Set when the news is about one reader (it is also that reader's lastError). */
  readonly readerName?: string;
}

export interface ReaderEvents {
  /** The whole list, after any reader came, went, or changed state or last error. */
  'readers.changed': { readonly readers: readonly ReaderInfo[] };
  'reader.status': ReaderStatusEvent;
}

export type ReaderPublish = <E extends keyof ReaderEvents>(
  event: E,
  payload: ReaderEvents[E],
) => void;
