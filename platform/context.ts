/**
 * The platform's context types: what every route reaches through `app.platform`, and what
 * openPlatform hands the server and the CLI. A leaf: it imports types only, from modules
 * that import nothing of the platform above db/ and keys/ (see docs/architecture.md,
 * "Inside platform/"), so any unit can name its context without reaching the app, the
 * unit list or the CLI.
 *
 * State that lives as long as one app (the push hub, the certificate cache) is a member
 * here, created by buildPlatform, never a module-level variable: two platforms in one
 * process (tests, the demo) share nothing.
 */
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WalletPolicy } from './activation/policy';
import type { Clock } from './clock';
import type { PlatformDatabase } from './db/schema';
import type { IssuerKeys } from './keys/issuer-keys';
import type { MasterKey } from './keys/master-key';
import type { PushHub } from './notifications/hub';
import type { CertificateCache } from './settlement/certificate-cache';

/** What every route can reach through `app.platform`. */
export interface PlatformContext {
  readonly db: Kysely<PlatformDatabase>;
  readonly keys: IssuerKeys;
  readonly clock: Clock;
  /** Threads of the settlement verify pool; undefined: one per core. */
  readonly verifyThreads?: number;
  /** Validity of the terminal certificates issued (TERMINAL_CERTIFICATE_DAYS). */
  readonly terminalCertificateDays: number;
  /** What every wallet is issued with, and terminals' defaults follow (WALLET_*). */
  readonly walletPolicy: WalletPolicy;
  /** This app's wallet sockets (notifications/hub.ts). */
  readonly pushHub: PushHub;
  /** This app's decoded wallet certificates (settlement/certificate-cache.ts). */
  readonly certificates: CertificateCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: PlatformContext;
  }
}

export type PlatformApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** An opened platform: database (migrated), issuer keys; see start.ts openPlatform. */
export interface PlatformState {
  readonly db: Kysely<PlatformDatabase>;
  readonly keys: IssuerKeys;
  readonly clock: Clock;
  readonly masterKeyOrigin: MasterKey['origin'];
  close(): Promise<void>;
}
