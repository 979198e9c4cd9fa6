/**
 * buildPlatform: the HTTP face of the platform — Fastify with zod validation, OpenAPI,
 * typed errors, authentication on every route, WebSocket support, and the units of
 * units.ts mounted under /v1. It does not own the database or the keys: whoever opened
 * them (server.ts, embedded.ts, a test) closes them after `app.close()`.
 */
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from './activation/policy';
import { authenticationHook, identificationHook } from './auth/authenticate';
import { InFlightLimiter } from './auth/in-flight';
import { pruneNonces } from './auth/nonces';
import { systemClock, type Clock } from './clock';
import { DEFAULT_TERMINAL_CERTIFICATE_DAYS } from './config';
import type { PlatformApp } from './context';
import { appliedMigrations } from './db/migrate';
import { platformMigrations } from './db/migrations';
import type { PlatformDatabase } from './db/schema';
import { DatabaseSetupError, PlatformError } from './errors';
import { DEFAULT_BODY_LIMIT, registerBodyParsers } from './http/body';
import { ErrorBody, registerErrorHandling } from './http/errors';
import { clientErrorHandler, frameworkErrorHandler } from './http/framework-errors';
import { registerOpenApi } from './http/openapi';
import { strictRequestSchemas } from './http/strict';
import type { IssuerKeys } from './keys/issuer-keys';
import { PushHub } from './notifications/hub';
import { CertificateCache } from './settlement/certificate-cache';
import { API_PREFIX, type PlatformUnit } from './unit';
import { UNITS } from './units';

export const PLATFORM_API_VERSION = '1.0.0';

export interface LogOptions {
  readonly level?: string;
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  readonly stream?: { write(line: string): void };
}

export interface BuildPlatformOptions {
  readonly db: Kysely<PlatformDatabase>;
  readonly keys: IssuerKeys;
  readonly clock?: Clock;
  /** false (default) for silence. Credentials are redacted whatever the level. */
  readonly logger?: LogOptions | false;
  /** Default: units.ts. Tests add their own probe units here. */
  readonly units?: readonly PlatformUnit[];
  readonly bodyLimit?: number;
  /** Behind a reverse proxy: trust its X-Forwarded-For (see Fastify trustProxy). */
  readonly trustProxy?: boolean | string | string[];
  /** Threads of the settlement verify pool (SETTLEMENT_VERIFY_THREADS); default one per core. */
  readonly verifyThreads?: number | undefined;
  /** TERMINAL_CERTIFICATE_DAYS; default DEFAULT_TERMINAL_CERTIFICATE_DAYS (30). */
  readonly terminalCertificateDays?: number | undefined;
  /** The wallet policy (config.ts WALLET_*); default DEFAULT_WALLET_POLICY. */
  readonly walletPolicy?: WalletPolicy | undefined;
}

const NONCE_PRUNE_INTERVAL_MS = 60_000;

/** Header paths pino must never print. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-tapsafe-signature"]',
  'headers.authorization',
  'headers["x-tapsafe-signature"]',
];

function loggerOptions(logger: LogOptions | false | undefined) {
  if (logger === undefined || logger === false) return false;
  return {
    level: logger.level ?? 'info',
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(logger.stream ? { stream: logger.stream } : {}),
  };
}

export function registerUnit(app: PlatformApp, unit: PlatformUnit): void {
  const routes = unit.routes;
  if (routes === undefined) return;
  void app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, tags: route.schema?.tags ?? [unit.name] };
    });
    await scope.register(routes, { prefix: API_PREFIX });
  });
}

export async function buildPlatform(options: BuildPlatformOptions): Promise<PlatformApp> {
  const { db, keys } = options;
  const clock = options.clock ?? systemClock;
  const units = options.units ?? UNITS;
  const names = units.map((unit) => unit.name);
  if (new Set(names).size !== names.length)
    throw new Error(`unit names must be unique: ${names.join(', ')}`);

  const app: PlatformApp = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: frameworkErrorHandler({ db, clock }),
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const { verifyThreads } = options;
  const terminalCertificateDays =
    options.terminalCertificateDays ?? DEFAULT_TERMINAL_CERTIFICATE_DAYS;
  const walletPolicy = options.walletPolicy ?? DEFAULT_WALLET_POLICY;
  app.decorate('platform', {
    db,
    keys,
    clock,
    terminalCertificateDays,
    walletPolicy,
    pushHub: new PushHub(),
    certificates: new CertificateCache(),
    ...(verifyThreads ? { verifyThreads } : {}),
  });
  app.decorateRequest('caller', null);
  registerBodyParsers(app);
  registerErrorHandling(app);

  // Secure by default: a route without an auth policy stops the platform from starting.
  app.addHook('onRoute', (route) => {
    const config = route.config as { auth?: unknown } | undefined;
    if (config?.auth === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.auth`);
    }
  });
  app.addHook('onRoute', strictRequestSchemas);
  await registerOpenApi(app, PLATFORM_API_VERSION);
  // Before the authentication hooks: its onRequest hook marks upgrades (request.ws).
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.addHook('onRequest', identificationHook({ db, clock }, new InFlightLimiter()));
  app.addHook('preValidation', authenticationHook({ db, clock }));

  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['platform'],
        response: {
          200: z.object({ status: z.literal('ok'), time: z.number().int() }),
          503: ErrorBody,
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(db);
      } catch {
        throw new PlatformError(503, 'database_unavailable', 'the database does not answer');
      }
      return { status: 'ok' as const, time: clock.now() };
    },
  );

  for (const unit of units) registerUnit(app, unit);

  let pruneTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    // The database must have every migration these units need (a test or a caller that
    // opened it with other units would otherwise fail later, obscurely).
    const applied = new Set(await appliedMigrations(db));
    const missing = platformMigrations(units).filter((m) => !applied.has(m.name));
    if (missing.length > 0) {
      throw new DatabaseSetupError(
        'migration_failed',
        `database lacks migrations ${missing.map((m) => m.name).join(', ')}: open it with the same units`,
      );
    }
    pruneTimer = setInterval(() => {
      pruneNonces(db, clock.now()).catch((error: unknown) =>
        app.log.warn({ err: error }, 'nonce pruning failed'),
      );
    }, NONCE_PRUNE_INTERVAL_MS);
    pruneTimer.unref();
  });
  app.addHook('onClose', () => {
    clearInterval(pruneTimer);
  });
  return app;
}
