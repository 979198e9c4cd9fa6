/**
 * CPU time, as opposed to wall time: on a shared machine the wall-clock rate moves with
 * whatever else runs, while the CPU seconds a piece of work costs barely do. The settlement
 * bench reports both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

/** This process's CPU seconds so far, all threads (the verify pool's workers included). */
export function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statOf(pid: string): { comm: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …"; comm itself may hold spaces.
    const close = stat.lastIndexOf(')');
    return {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      fields: stat.slice(close + 2).split(' '),
    };
  } catch {
    return undefined;
  }
}

/**
 * A local PostgreSQL server's CPU seconds so far (postmaster and all its children), or
 * undefined when the server is not on this machine or /proc is not readable.
 */
export async function postgresCpuSeconds<DB>(db: Kysely<DB>): Promise<number | undefined> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  const backend = rows[0]?.pid;
  // A remote server's backend pid may name an unrelated local process: insist on postgres.
  const stat = backend === undefined ? undefined : statOf(String(backend));
  const postmaster = stat?.comm === 'postgres' ? stat.fields[1] : undefined;
  if (postmaster === undefined) return undefined;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statOf(pid)?.fields;
    if (fields === undefined || (pid !== postmaster && fields[1] !== postmaster)) continue;
    ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
  }
  return ticks / TICKS_PER_SECOND;
}
