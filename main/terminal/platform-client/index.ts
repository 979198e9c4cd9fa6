export { createPlatformClient, DEFAULT_TIMEOUT_MS } from './client';
export type { PlatformClient, PlatformClientOptions } from './client';
export type { TerminalCredentials } from './http';
export type { Enrollment, RenewedCertificate, TerminalInfo } from './shapes';
