/** The emulated phone: the patent's mobile payment unit (移动支付单元), for demos and tests. */
export {
  createPhone,
  Phone,
  type PhoneEvents,
  type PhoneOptions,
  type PhoneSnapshot,
} from './phone';
export { SimulatedClock, SystemClock, SIMULATION_EPOCH, type Clock } from './clock';
export { Device, type DeviceEvent, type DeviceIdentity, type DeviceStatus } from './device';
export * from './errors';
export type { Card } from './transport/card';
export { InProcessField, type FieldEvents } from './transport/in-process';
export { VpcdCard } from './transport/vpcd';
export { HCE_ATR, virtualCardOf, type VirtualCard } from './transport/vpcd-card';
export { VpcdError } from './transport/vpcd-errors';
export { WalletApplet, FCI_PROTOCOL_VERSION, type InternalErrorReport } from './applet/applet';
export {
  Wallet,
  type NoticeOutcome,
  type PlatformRequest,
  type SyncOutcome,
} from './wallet/wallet';
export type { Answer, Refused } from './wallet/wallet-core';
export type * from './wallet/platform-link';
export type * from './wallet/events';
export type { LogEntry, StorageView, WalletSnapshot } from './wallet/snapshot';
export type { LockParameters } from './storage/records';
export { LOG_CAPACITY } from './wallet/payment';
export * from './platform-client';
