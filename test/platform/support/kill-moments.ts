/**
 * Killing a platform process at a chosen moment of a settlement upload: right after the
 * request was sent, while its settling transaction is at work, after a delay, or after the
 * answer. The transaction cannot be asked about, so it is watched: on PostgreSQL its row locks
 * show in pg_locks from another session; PGlite runs inside the server, where only its WAL
 * writes show, in /proc.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { SettlementBatch, Signed } from '../../../protocol';
import type { PlatformDatabase } from '../../../platform/db/schema';
import type { TerminalFixture } from './fixtures';
import type { PlatformProcess, PlatformStore } from './platform-process';
import { readWhole } from '../../support/http';
import { uploadRequest } from './settlement';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

export type Moment =
  | { readonly kind: 'sent' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'in_transaction' }
  | { readonly kind: 'answered' };

export const describeMoment = (m: Moment) =>
  m.kind === 'delay' ? `${m.ms} ms after sending` : m.kind.replace('_', ' ');

export interface Upload {
  /** Resolves once the whole request body has been handed to the socket. */
  readonly sent: Promise<void>;
  /** The answer, or undefined when the connection died first. */
  readonly answer: Promise<{ status: number; replayed: string; body: Buffer } | undefined>;
}

/**
 * POST /v1/settlement/batches to a live server, signed by the terminal. Over real HTTP rather
 * than fetch, because the 'sent' moment needs to know when the body has left.
 */
export function upload(base: string, terminal: TerminalFixture, envelope: Uint8Array): Upload {
  const signed = uploadRequest(terminal, envelope, nowSeconds());
  const payload = signed.payload as Buffer;
  let sentResolve: () => void = () => {};
  const sent = new Promise<void>((resolve) => (sentResolve = resolve));
  const answer = new Promise<{ status: number; replayed: string; body: Buffer } | undefined>(
    (resolve) => {
      const req = request(
        `${base}/v1/settlement/batches`,
        {
          method: 'POST',
          headers: {
            ...(signed.headers as Record<string, string>),
            'content-length': String(payload.length),
          },
        },
        (res) =>
          void readWhole(res).then(
            ({ status, headers, body }) =>
              resolve({ status, replayed: String(headers['x-tapsafe-replayed']), body }),
            () => resolve(undefined),
          ),
      );
      req.on('error', () => {
        sentResolve();
        resolve(undefined);
      });
      req.on('finish', () => sentResolve());
      req.end(payload);
    },
  );
  return { sent, answer };
}

/**
 * Uploads the batch and SIGKILLs the server at the moment; resolves once it is dead and the
 * upload has ended. `sawTransaction`: for 'in_transaction', whether the settling transaction
 * was seen at work before the kill (false when it was answered first or could not be seen).
 */
export async function uploadAndKill(
  server: PlatformProcess,
  store: PlatformStore,
  terminal: TerminalFixture,
  batch: Signed<SettlementBatch>,
  moment: Moment,
): Promise<{ sawTransaction: boolean }> {
  const watcher =
    store.sharedAccess && moment.kind === 'in_transaction' ? await store.open() : undefined;
  let sawTransaction = false;
  try {
    const sending = upload(server.url, terminal, batch.encoded);
    let answered = false;
    void sending.answer.then(() => (answered = true));
    await sending.sent;
    if (moment.kind === 'delay') await sleep(moment.ms);
    if (moment.kind === 'in_transaction') {
      const done = () => answered;
      sawTransaction = await (watcher
        ? paymentsLocked(watcher, done)
        : walBeingWritten(server.pid, done));
    }
    if (moment.kind === 'answered') expect((await sending.answer)?.status).toBe(200);
    server.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    await sending.answer;
  } finally {
    await watcher?.destroy();
  }
  return { sawTransaction };
}

/**
 * PostgreSQL: resolves true once the platform's settlement transaction has inserted payment
 * rows and not yet ended, i.e. another session of this database holds a RowExclusiveLock on
 * settlement_payments; false if that was not seen before `done()`.
 */
async function paymentsLocked(db: Kysely<PlatformDatabase>, done: () => boolean): Promise<boolean> {
  while (!done()) {
    const { rows } = await sql<{ pid: number }>`
      select l.pid from pg_locks l join pg_class c on c.oid = l.relation
      where l.database = (select oid from pg_database where datname = current_database())
        and c.relname = 'settlement_payments' and l.mode = 'RowExclusiveLock' and l.granted
        and l.pid <> pg_backend_pid()`.execute(db);
    if (rows.length > 0) return true;
    await sleep(2);
  }
  return false;
}

/** Bytes the process has written (any file or socket), from /proc; undefined off Linux. */
function bytesWritten(pid: number): number | undefined {
  try {
    const match = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * PGlite runs inside the server process, so nobody else can see its transaction; its WAL
 * writes can be seen. An upload writes in three bursts: the request nonce's commit, then
 * (after a quiet spell while the pool verifies the records) the settling transaction, whose
 * WAL outgrows PGlite's buffers long before its commit, then the answer. Resolves true at
 * the first write of the second burst; false if the upload was answered first or /proc is
 * not there.
 */
async function walBeingWritten(pid: number, done: () => boolean): Promise<boolean> {
  const QUIET_MS = 40;
  let anchor = bytesWritten(pid);
  if (anchor === undefined) return false;
  let anchoredAt = Date.now();
  let phase: 'nonce' | 'nonce_writing' | 'verifying' = 'nonce';
  while (!done()) {
    await sleep(1);
    const now = Date.now();
    const written = bytesWritten(pid);
    if (written === undefined) return false;
    const grown = written - anchor;
    if (phase === 'verifying' && grown > 32 * 1024) return true;
    if (phase !== 'verifying' && grown >= 4 * 1024) {
      phase = 'nonce_writing';
      anchor = written;
      anchoredAt = now;
    } else if (phase === 'nonce_writing' && now - anchoredAt >= QUIET_MS) {
      phase = 'verifying';
      anchor = written;
    }
  }
  return false;
}
