/** Demo mode: the embedded platform, emulated phones and the emulated reader's field. */
export { startDemo } from './world';
export { DEMO_MERCHANT_ID, DEMO_TERMINAL_ID, type Demo, type DemoOptions } from './demo';
export { OffsetClock, type TravelClock } from './clock';
export type { DemoErrorCode } from './errors';
export type { VpcdAttachment, VpcdAttachOptions } from './vpcd';
