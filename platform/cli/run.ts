/** Command dispatch for the operator CLI (testable in-process; main.ts is the process entry). */
import { parseArgs } from 'node:util';
import { configFromEnv, ConfigError } from '../config';
import { DatabaseSetupError } from '../errors';
import { MasterKeyError } from '../keys/master-key';
import type { PlatformState } from '../context';
import { openPlatform } from '../start';
import type { PlatformUnit } from '../unit';
import { UNITS } from '../units';
import { CliError, type CliCommand, type CliContext } from './command';
import { CORE_COMMANDS } from './core-commands';
import { OperatorClient } from './remote';

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

export function allCommands(units: readonly PlatformUnit[] = UNITS): readonly CliCommand[] {
  const commands = [...CORE_COMMANDS, ...units.flatMap((unit) => unit.commands ?? [])];
  const names = commands.map((command) => command.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new Error(`two CLI commands named ${twice}`);
  return commands;
}

function help(commands: readonly CliCommand[]): string[] {
  return [
    'usage: npm run platform                     serve the platform (HOST, PORT, DATA_DIR, DATABASE_URL)',
    '       npm run platform -- <command> [options]',
    '',
    'Operator commands call the running platform: TAPSAFE_OPERATOR_TOKEN (the first token comes',
    'from the bootstrap token a first start prints), TAPSAFE_PLATFORM_URL (default http://HOST:PORT).',
    '',
    ...commands.map((c) => `  ${c.name}${c.usage ? ` ${c.usage}` : ''}\n      ${c.summary}`),
  ];
}

/** Runs one command; returns the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  units: readonly PlatformUnit[] = UNITS,
): Promise<number> {
  const commands = allCommands(units);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    help(commands).forEach((line) => io.out(line));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`unknown command ${name}; try: npm run platform -- help`);
    return 2;
  }
  let state: PlatformState | undefined;
  try {
    const config = configFromEnv(io.env);
    const parsed = parseArgs({
      args: [...rest],
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    const ctx: CliContext = {
      values: parsed.values,
      positionals: parsed.positionals,
      config,
      out: (line) => io.out(line),
      note: (line) => io.err(line),
      async local() {
        state ??= await openPlatform({
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          masterKeyHex: config.masterKeyHex,
          masterKeyFile: config.masterKeyFile,
          units,
        });
        return state;
      },
      remote: () =>
        new OperatorClient(
          io.env.TAPSAFE_PLATFORM_URL ?? `http://${config.host}:${config.port}`,
          io.env.TAPSAFE_OPERATOR_TOKEN,
        ),
    };
    return (await command.run(ctx)) ?? 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    const code = (error as { code?: unknown }).code;
    const parseError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    const setup =
      error instanceof ConfigError ||
      error instanceof MasterKeyError ||
      error instanceof DatabaseSetupError;
    if (setup || parseError) {
      io.err((error as Error).message);
      return 2;
    }
    io.err(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await state?.close();
  }
}
