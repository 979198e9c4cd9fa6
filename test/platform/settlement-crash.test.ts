/**
 * Settlement across a real crash (issue requirement: "a platform restart in the middle of a
 * batch leaves it either fully applied or not at all"). The real server (platform/cli/main.ts)
 * runs as a child process on a PGlite folder or a PostgreSQL database of its own; a large
 * batch is uploaded and the process is SIGKILLed: right after the upload was sent, while its
 * settling transaction is at work (PostgreSQL: its row locks seen in pg_locks; PGlite: its WAL
 * writes seen in /proc), after a delay from a spread, and after the answer. The rows are then
 * read directly (settlement_batches, settlement_payments, ledger_transactions and
 * ledger_entries, notifications): the batch is whole or absent, never in part. The platform
 * restarts on the same data, the same batch is uploaded again and replays (applied) or
 * settles (absent); in the end every record is paid once and the merchant credited once.
 */
import { describe, expect, it } from 'vitest';
import type { SettlementBatch, Signed } from '../../protocol';
import { backends } from './support/databases';
import { describeMoment, uploadAndKill, type Moment } from './support/kill-moments';
import { usePlatformProcesses } from './support/platform-process';
import {
  expectEachSettledOnce,
  inspectBatch,
  seedSettlement,
  settleUncut,
  type Outcome,
} from './support/settlement-consistency';

const WALLETS = 15;
/** Records per wallet per batch: WALLETS × this records in each batch. */
const PER_WALLET = 100;
const LOAD = 10_000_000;

describe.each(backends())(
  'a settlement upload when the platform is SIGKILLed, on %s',
  (backend) => {
    const processes = usePlatformProcesses();

    it('leaves each batch whole or absent, and a re-upload settles it exactly once', async () => {
      const started = Date.now();
      const store = await processes.store(backend);
      const seeded = await seedSettlement(store, {
        wallets: WALLETS,
        perWallet: PER_WALLET,
        load: LOAD,
      });
      const { terminal, wallets } = seeded;
      const settled: Signed<SettlementBatch>[] = [];

      // A first batch, uncut, on a fresh server: how long an upload takes on this machine.
      let server = await processes.start(store.env);
      const first = seeded.nextBatch();
      const t = Date.now();
      expect(await settleUncut(server, seeded, first)).toBe('false');
      const uploadMs = Date.now() - t;
      settled.push(first);

      // Kills while the settling transaction is seen at work (PostgreSQL: its row locks;
      // PGlite: its WAL writes), after a delay from a spread (later uploads run warm, faster
      // than the first), after the answer; and right after sending (the records are still
      // being verified) on PostgreSQL, where a restart is cheap, or wherever no kill has
      // left a batch absent yet.
      const moments: Moment[] = [
        ...(store.sharedAccess ? [{ kind: 'sent' } as const] : []),
        { kind: 'in_transaction' },
        { kind: 'delay', ms: Math.round(uploadMs * (0.1 + 0.8 * Math.random())) },
        { kind: 'answered' },
      ];
      const seen: { moment: string; outcome: Outcome; killedInTransaction: boolean }[] = [];

      let retried = false;
      for (const moment of moments) {
        const batch = seeded.nextBatch();
        const { sawTransaction } = await uploadAndKill(server, store, terminal, batch, moment);

        // The platform restarts on what the crash left, and the rows are read directly. A
        // PGlite folder is one process's: it is read first (its lock names a dead process),
        // then the server starts on it.
        if (store.sharedAccess) server = await processes.start(store.env);
        const outcome = await store.read((db) =>
          inspectBatch(db, {
            batch,
            merchantId: terminal.merchantId,
            wallets,
            noticesBefore: settled.length,
          }),
        );
        if (!store.sharedAccess) server = await processes.start(store.env);
        if (moment.kind === 'answered') expect(outcome).toBe('applied');
        // Seen at work, then killed, and nothing of it stored: the kill fell inside it.
        const killedInTransaction = sawTransaction && outcome === 'absent';
        seen.push({ moment: describeMoment(moment), outcome, killedInTransaction });
        // Missed (it committed first, or was answered before it was seen): once more.
        if (moment.kind === 'in_transaction' && !killedInTransaction && !retried) {
          retried = true;
          moments.push(moment);
        }
        const sentYet = moments.some((m) => m.kind === 'sent');
        if (moment === moments.at(-1) && !sentYet && seen.every((s) => s.outcome === 'applied'))
          moments.push({ kind: 'sent' });

        // The terminal tries again: a replay of what was applied, a settlement of what was not.
        expect(await settleUncut(server, seeded, batch)).toBe(
          outcome === 'applied' ? 'true' : 'false',
        );
        settled.push(batch);
      }
      await server.stop();

      // In the end every record is paid once and the merchant credited for each batch once.
      await store.read((db) => expectEachSettledOnce(db, seeded, settled));

      const count = (o: Outcome) => seen.filter((s) => s.outcome === o).length;
      console.info(
        `settlement crash on ${backend}: ${WALLETS * PER_WALLET} records a batch, uncut upload ` +
          `${uploadMs} ms, ${count('applied')} applied / ${count('absent')} absent, ` +
          `${Date.now() - started} ms in all\n` +
          seen
            .map(
              (s) =>
                `  killed ${s.moment}: ${s.outcome}${s.killedInTransaction ? ' (inside the transaction)' : ''}`,
            )
            .join('\n'),
      );
      // Both outcomes are forced: a kill right after sending (the records are still being
      // verified) and one after the answer. A kill inside the transaction is certain on
      // PostgreSQL (its locks are seen from outside); on PGlite it rests on seeing its WAL
      // written, which /proc may not show: there it is logged, not required.
      expect(count('applied')).toBeGreaterThan(0);
      expect(count('absent')).toBeGreaterThan(0);
      if (store.sharedAccess) expect(seen.some((s) => s.killedInTransaction)).toBe(true);
    }, 150_000);
  },
);
