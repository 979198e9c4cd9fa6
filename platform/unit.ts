/**
 * The seam every platform unit plugs into. A unit is a folder `platform/<unit>/` with an
 * index exporting one PlatformUnit, listed in platform/units.ts:
 *
 *   export const activationUnit: PlatformUnit = {
 *     name: 'activation',
 *     migrations: [activationTables],          // named '02xx_…', see db/migrations.ts
 *     routes: activationRoutes,                // FastifyPluginAsyncZod, mounted under /v1
 *     commands: [showWalletCommand],           // operator CLI commands, see cli/command.ts
 *   };
 *
 * Routes get the database, issuer keys and clock from `app.platform` (context.ts), the
 * caller from `request.caller` (see auth/caller.ts), and must declare `config.auth`.
 * The index exports the descriptor only; what other units call is the unit's surface.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CliCommand } from './cli/command';
import type { NamedMigration } from './db/migrate';

export interface PlatformUnit {
  /** Lower-case, unique: used in logs, the OpenAPI tag and the route plugin name. */
  readonly name: string;
  readonly migrations: readonly NamedMigration[];
  /** Registered with prefix /v1 in its own encapsulated context. */
  readonly routes?: FastifyPluginAsyncZod;
  readonly commands?: readonly CliCommand[];
}

export const API_PREFIX = '/v1';
