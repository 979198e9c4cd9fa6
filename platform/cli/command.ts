/**
 * The operator CLI's seam: `npm run platform -- <command> [options]`. A command is an
 * object a unit lists in `PlatformUnit.commands`; options are parsed with node:util
 * parseArgs from the command's `options`.
 *
 * Two ways to reach the platform, chosen per command:
 * - `ctx.remote()`: the HTTP API of a running platform (TAPSAFE_PLATFORM_URL, default
 *   http://HOST:PORT) with an operator token (TAPSAFE_OPERATOR_TOKEN). Operator commands
 *   of units (add a user, report a phone lost, ...) go this way, through the same auth,
 *   validation and audit as any API call.
 * - `ctx.local()`: the database and keys directly. For key management and a stopped
 *   platform only (rotate-keys, status; create- and revoke-operator-token when no
 *   TAPSAFE_OPERATOR_TOKEN is set); refused while a server holds the PGlite data folder.
 *   A running platform's first operator token comes from the bootstrap token it prints
 *   at start (auth/operator-tokens.ts), through the API.
 */
import type { ParseArgsConfig } from 'node:util';
import type { PlatformConfig } from '../config';
import type { PlatformState } from '../context';
import { CliError } from './errors';
import type { OperatorClient } from './remote';

export { CliError };

export type CliValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

export interface CliContext {
  readonly values: CliValues;
  readonly positionals: readonly string[];
  readonly config: PlatformConfig;
  /** A line to stdout: the command's result. */
  out(line: string): void;
  /** A line to stderr: notes and warnings. */
  note(line: string): void;
  /** Opens database and keys on first call; the CLI closes them after the command. */
  local(): Promise<PlatformState>;
  remote(): OperatorClient;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Shown in help after the name, e.g. '--label <who>'. */
  readonly usage?: string;
  readonly options?: ParseArgsConfig['options'];
  /** Exit code; undefined means 0. Throw CliError for a refusal the user can fix. */
  run(ctx: CliContext): Promise<number | undefined>;
}

export function stringOption(ctx: CliContext, name: string, required: true): string;
export function stringOption(ctx: CliContext, name: string, required?: false): string | undefined;
export function stringOption(ctx: CliContext, name: string, required = false): string | undefined {
  const value = ctx.values[name];
  if (typeof value === 'string' && value !== '') return value;
  if (required) throw new CliError(`--${name} is required`, 2);
  return undefined;
}
