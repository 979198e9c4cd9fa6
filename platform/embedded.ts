/**
 * The platform in-process, for the desktop app's demo mode: the same app and database as
 * the standalone server, on 127.0.0.1. With no dataDir everything (database, master key)
 * lives in memory and vanishes on close.
 */
import type { Clock } from './clock';
import { createOperatorToken } from './auth/operator-tokens';
import type { JobOptions } from './jobs';
import { startPlatformServer, type RunningPlatform } from './server';

export interface EmbeddedOptions {
  /** PGlite folder; undefined: in memory. */
  readonly dataDir?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The demo's time-travel clock. */
  readonly clock?: Clock;
  /** Periodic job intervals (hold release, hotlist pruning); false: none. */
  readonly jobs?: JobOptions | false;
}

export interface EmbeddedPlatform {
  readonly url: string;
  readonly platform: RunningPlatform;
  /** An operator token for the demo's own operator actions. */
  createOperatorToken(label: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEmbeddedPlatform(
  options: EmbeddedOptions = {},
): Promise<EmbeddedPlatform> {
  const platform = await startPlatformServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataDir: options.dataDir,
    databaseUrl: undefined,
    masterKeyHex: undefined,
    trustProxy: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
  const { db, clock } = platform.state;
  return {
    url: platform.url,
    platform,
    createOperatorToken: async (label) =>
      (await createOperatorToken(db, { label, at: clock.now() })).token,
    close: () => platform.close(),
  };
}
