/**
 * The real platform server (`npm run platform`: platform/cli/main.ts) as a child process,
 * for tests that stop it the hard way. It runs as `node --import tsx …`, so the child's pid
 * is the server's own (no npx / tsx wrapper in between that a SIGKILL would orphan).
 *
 *   const processes = usePlatformProcesses(); // afterEach: SIGKILLs whatever is still running
 *   const store = await processes.store(backend);   // disposed after the test
 *   const server = await processes.start(store.env);
 *   server.kill('SIGKILL'); await server.exited;
 *
 * A store (makePlatformStore) is a data folder (PGlite) or a database of its own
 * (PostgreSQL) that outlives each process, to restart on and to read directly.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterEach } from 'vitest';
import { openDatabase } from '../../../platform/db/open';
import type { PlatformDatabase } from '../../../platform/db/schema';
import type { Backend } from './databases';

export interface PlatformProcess {
  /** http://127.0.0.1:<port>, answering GET /healthz. */
  readonly url: string;
  readonly pid: number;
  /** Resolves once the process has exited, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed on stdout and stderr so far. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (finish requests, close the database, release the folder) and wait; throws unless it exits 0. */
  stop(): Promise<void>;
}

const SERVER_ENTRY = 'platform/cli/main.ts';

async function healthy(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer 200`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts the server with these variables on top of the test's environment; resolves once /healthz is 200. */
export async function startPlatformProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<PlatformProcess & { child: ChildProcessByStdio<null, Readable, Readable> }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the platform process did not start');
  const handle = {
    child,
    pid,
    exited,
    output: () => output,
    kill(signal: NodeJS.Signals) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      handle.kill('SIGTERM');
      const { code, signal } = await exited;
      if (code !== 0)
        throw new Error(`platform exited with ${code ?? signal} on SIGTERM:\n${output}`);
    },
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the platform did not listen within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const look = () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', look);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the platform exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    await healthy(url, Date.now() + timeoutMs);
    return { ...handle, url };
  } catch (error) {
    handle.kill('SIGKILL');
    await exited;
    throw error;
  }
}

/**
 * Starts platform processes; after each test SIGKILLs any still running, then runs the
 * test's deferred clean-ups (last first), so nothing is removed under a live server.
 */
export function usePlatformProcesses(): {
  start(env: Record<string, string>): ReturnType<typeof startPlatformProcess>;
  /** A store for `backend`, disposed after the test. */
  store(backend: Backend): Promise<PlatformStore>;
  /** Runs `cleanUp` after the test, once the processes are gone. */
  defer(cleanUp: () => Promise<void> | void): void;
} {
  const running = new Set<PlatformProcess>();
  const cleanUps: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    const left = [...running];
    running.clear();
    for (const p of left) p.kill('SIGKILL');
    await Promise.all(left.map((p) => p.exited));
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });
  return {
    async store(backend) {
      const store = await makePlatformStore(backend);
      cleanUps.push(() => store.dispose());
      return store;
    },
    defer(cleanUp) {
      cleanUps.push(cleanUp);
    },
    async start(env) {
      const started = await startPlatformProcess(env);
      running.add(started);
      void started.exited.then(() => running.delete(started));
      return started;
    },
  };
}

/** Where a platform process keeps its data, for the child (env) and for direct reads. */
export interface PlatformStore {
  readonly env: Record<string, string>;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Direct access; on PGlite only while no platform process holds the folder. */
  open(): Promise<Kysely<PlatformDatabase>>;
  /** Opens, runs `use`, closes, so a PGlite folder is free again for the next process. */
  read<T>(use: (db: Kysely<PlatformDatabase>) => Promise<T>): Promise<T>;
  /** PostgreSQL can be read while the platform runs; PGlite cannot. */
  readonly sharedAccess: boolean;
  dispose(): Promise<void>;
}

/** Empty (whoever opens it first with migrations makes the tables), with a master key of its own. */
export async function makePlatformStore(backend: Backend): Promise<PlatformStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-store-'));
  const masterKey = randomBytes(32).toString('hex');
  const env = { DATA_DIR: dataDir, PLATFORM_MASTER_KEY: masterKey };
  const withRead = (store: Omit<PlatformStore, 'read'>): PlatformStore => ({
    ...store,
    async read(use) {
      const db = await store.open();
      try {
        return await use(db);
      } finally {
        await db.destroy();
      }
    },
  });
  if (backend === 'pglite') {
    return withRead({
      env,
      databaseUrl: undefined,
      dataDir,
      sharedAccess: false,
      open: () => openDatabase({ dataDir }, { migrations: false }),
      dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    });
  }
  // The server takes no schema setting, so each store is a database of its own on the server.
  const admin = process.env.TEST_DATABASE_URL ?? '';
  const name = `tapsafe_store_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const adminQuery = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await adminQuery(`create database "${name}"`);
  return withRead({
    env: { ...env, DATABASE_URL: databaseUrl },
    databaseUrl,
    dataDir,
    sharedAccess: true,
    open: () => openDatabase({ databaseUrl, poolSize: 2 }, { migrations: false }),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  });
}
