/**
 * What demo mode is to the rest of the app: the world's options and the one interface the
 * launcher, the terminal's demo controls and the tests hold (world.ts builds it).
 */
import type { InProcessField } from '../../handset';
import type { DemoAction, DemoForgery, DemoView } from '../../preload/contract';
import type { TravelClock } from './clock';
import type { VpcdAttachment, VpcdAttachOptions } from './vpcd';

export const DEMO_MERCHANT_ID = 'DEMO-MERCHANT';
export const DEMO_TERMINAL_ID = 'DEMO-T1';

export interface DemoOptions {
  /** The demo's folder (the user's app-data): platform, phones, demo.json. */
  readonly dataDir: string;
  /**
   * Default: the machine's clock plus the persisted time-travel offset. With a clock given
   * (tests: handset's SimulatedClock), the view's offsetSeconds counts this run's travel.
   */
  readonly clock?: TravelClock;
  /** Phones to have (created on first start); default 3. */
  readonly phoneCount?: number;
  /** Called with the new view whenever a phone, the list or the clock changes. */
  readonly publish?: (event: 'demo.changed', view: DemoView) => void;
}

export interface Demo {
  /** The clock the terminal services must use too. */
  readonly clock: TravelClock;
  /** The terminal's emulated reader: phones are tapped onto this field. */
  readonly field: InProcessField;
  readonly platformUrl: string;
  /** A fresh single-use code enrolling DEMO-T1 of DEMO-MERCHANT through the real API. */
  enrollmentCode(): Promise<{ platformUrl: string; code: string }>;
  view(): DemoView;
  action(phoneId: string, action: DemoAction, amount?: number): Promise<DemoView>;
  timeTravel(seconds: number): Promise<DemoView>;
  /** A forged card (main/demo/forgeries) on the reader, over a phone unless it is none. */
  forgedTap(phoneId: string | undefined, forgery: DemoForgery): Promise<DemoView>;
  /** Takes the platform off the network (as the terminal and phones reach it) or back. */
  setPlatformOnline(online: boolean): DemoView;
  /** S1: a new demo user registered, a new phone activated and loaded through the API. */
  addPhone(label: string): Promise<DemoView>;
  on(event: 'changed', listener: (view: DemoView) => void): () => void;
  /** The phone also on a vsmartcard-vpcd reader of a running pcscd; returns the detach. */
  attachVpcd(phoneId: string, options: VpcdAttachOptions): VpcdAttachment;
  close(): Promise<void>;
}
