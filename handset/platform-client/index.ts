/** The phone's client of the back-end support platform: HTTP link and WebSocket push. */
export { HttpPlatformLink, type HttpLinkOptions, type TopUpResult } from './link';
export { forReactivation, REACTIVATION_KEY, type ReactivationReport } from './reactivation';
export { PushClient, type PushClientOptions, type PushEvents } from './push';
export {
  PlatformRequestError,
  isPlatformRequestError,
  type PlatformRequestErrorCode,
} from './errors';
export type { RequestSigner } from './http';
