/** Demo mode: the embedded platform, emulated phones and the emulated reader's field. */
export {
  startDemo,
  DEMO_MERCHANT_ID,
  DEMO_TERMINAL_ID,
  type Demo,
  type DemoOptions,
} from './world';
export { OffsetClock, type TravelClock } from './clock';
export type { DemoErrorCode } from './errors';
export type { VpcdAttachment, VpcdAttachOptions } from './vpcd';
