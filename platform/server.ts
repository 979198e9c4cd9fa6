/**
 * The standalone platform: open the state, build the app, start its periodic jobs
 * (jobs/: hold release, hotlist pruning), listen. `npm run platform` (cli/main.ts) runs it
 * with settings from the environment (config.ts).
 */
import type { AddressInfo } from 'node:net';
import { buildPlatform, type LogOptions } from './app';
import type { PlatformApp, PlatformState } from './context';
import type { Clock } from './clock';
import type { PlatformConfig } from './config';
import { runJobsWith, type JobOptions, type PlatformJobs } from './jobs';
import { openPlatform } from './start';
import type { PlatformUnit } from './unit';

export interface RunningPlatform {
  readonly app: PlatformApp;
  readonly state: PlatformState;
  /** The periodic jobs (hold release, hotlist pruning); undefined when turned off. */
  readonly jobs: PlatformJobs | undefined;
  /** http://host:port, with the port actually bound (PORT=0 picks a free one). */
  readonly url: string;
  /** Stops accepting, finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

export interface ServerOptions extends Pick<
  PlatformConfig,
  'host' | 'port' | 'databaseUrl' | 'masterKeyHex' | 'trustProxy'
> {
  readonly dataDir: string | undefined;
  /** PLATFORM_MASTER_KEY_FILE (config.ts); the master key comes from there when set. */
  readonly masterKeyFile?: string | undefined;
  readonly logger?: LogOptions | false;
  readonly clock?: Clock;
  readonly units?: readonly PlatformUnit[];
  /** Intervals of the periodic jobs (jobs/); false: none run (a node that only serves). */
  readonly jobs?: JobOptions | false;
  /** Threads of the settlement verify pool; default one per core. */
  readonly verifyThreads?: number | undefined;
  /** TERMINAL_CERTIFICATE_DAYS; default 30. */
  readonly terminalCertificateDays?: number | undefined;
  /** The wallet policy (WALLET_*); default DEFAULT_WALLET_POLICY. */
  readonly walletPolicy?: PlatformConfig['walletPolicy'] | undefined;
}

export async function startPlatformServer(options: ServerOptions): Promise<RunningPlatform> {
  const state = await openPlatform({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    masterKeyHex: options.masterKeyHex,
    masterKeyFile: options.masterKeyFile,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.units ? { units: options.units } : {}),
  });
  let app: PlatformApp | undefined;
  let jobs: PlatformJobs | undefined;
  try {
    app = await buildPlatform({
      db: state.db,
      keys: state.keys,
      clock: state.clock,
      logger: options.logger ?? false,
      trustProxy: options.trustProxy,
      verifyThreads: options.verifyThreads,
      terminalCertificateDays: options.terminalCertificateDays,
      walletPolicy: options.walletPolicy,
      ...(options.units ? { units: options.units } : {}),
    });
    // Started when the app is ready, stopped (the run in flight awaited) when it closes,
    // so the database below is never closed under a job.
    if (options.jobs !== false) jobs = runJobsWith(app, options.jobs);
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app?.close();
    await state.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const running = app;
  let closing: Promise<void> | undefined;
  return {
    app: running,
    state,
    jobs,
    url: `http://${host}:${address.port}`,
    close: () => (closing ??= running.close().finally(() => state.close())),
  };
}
