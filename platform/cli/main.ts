/**
 * `npm run platform`: with no arguments, serve the platform until SIGINT / SIGTERM;
 * with a command, run it (see run.ts and `npm run platform -- help`).
 */
import { configFromEnv } from '../config';
import { startPlatformServer } from '../server';
import { runCli } from './run';

async function serve(): Promise<void> {
  const config = configFromEnv();
  // config.jobs: the periodic jobs' intervals, or false (PERIODIC_JOBS=off) for none.
  const running = await startPlatformServer({ ...config, logger: { level: config.logLevel } });
  const where =
    config.databaseUrl === undefined ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  const jobs = config.jobs === false ? ', periodic jobs off' : '';
  process.stdout.write(`Tapsafe platform listening on ${running.url} (${where}${jobs})\n`);
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
