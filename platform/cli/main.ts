/**
 * `npm run platform`: with no arguments, serve the platform until SIGINT / SIGTERM;
 * with a command, run it (see run.ts and `npm run platform -- help`).
 */
import { issueBootstrapToken } from '../auth/operator-tokens';
import { configFromEnv, DEFAULT_HOST, DEFAULT_PORT } from '../config';
import { startPlatformServer, type RunningPlatform } from '../server';
import { runCli } from './run';

/**
 * While no operator token exists, a one-time bootstrap token, to print once (only its hash
 * is stored), with the command that turns it into the first operator token.
 */
async function bootstrapAnnouncement(running: RunningPlatform): Promise<string | undefined> {
  const { db, clock } = running.state;
  const bootstrap = await issueBootstrapToken(db, clock.now());
  if (bootstrap === undefined) return undefined;
  const url =
    running.url === `http://${DEFAULT_HOST}:${DEFAULT_PORT}`
      ? ''
      : `TAPSAFE_PLATFORM_URL=${running.url} `;
  return (
    'No operator token yet. A one-time bootstrap token follows, shown only now; it creates the first operator token and nothing else (each start prints a new one until then):\n' +
    `  ${url}TAPSAFE_OPERATOR_TOKEN=${bootstrap.token} npm run platform -- create-operator-token --label <your name>\n`
  );
}

async function serve(): Promise<void> {
  const config = configFromEnv();
  // config.jobs: the periodic jobs' intervals, or false (PERIODIC_JOBS=off) for none.
  const running = await startPlatformServer({ ...config, logger: { level: config.logLevel } });
  const where =
    config.databaseUrl === undefined ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  const jobs = config.jobs === false ? ', periodic jobs off' : '';
  // One write with the ready line, so whoever waits for that line has the token too.
  const bootstrap = (await bootstrapAnnouncement(running)) ?? '';
  process.stdout.write(
    `Tapsafe platform listening on ${running.url} (${where}${jobs})\n${bootstrap}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: finishing requests and closing the database\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const args = process.argv.slice(2);
if (args.length === 0) {
  serve().catch((error: unknown) => {
    process.stderr.write(
      `platform failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
} else {
  const code = await runCli(args, {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
