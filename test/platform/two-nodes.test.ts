/**
 * "API nodes are stateless": two platform processes (platform/cli/main.ts, real child
 * processes) with data folders of their own, on one PostgreSQL database and one master key
 * from configuration. Requests alternate between them: the user is added on B, the phone
 * activates on A, the enrollment code is made on A and the terminal enrolls on B, the phone
 * pays offline, and the same settlement batch is uploaded to A and B at once: it settles
 * once (one answer fresh, the other a replay of it) and the merchant is credited once. Two
 * batches continuing the same chain head, one to each node at once: one settles, the other
 * is refused chain_broken (the terminal's chain row lock holds across nodes).
 * Neither folder gets a master.key; without the key, a node on the database refuses to start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPhone, HttpPlatformLink, InProcessField, SystemClock } from '../../handset';
import type { PaymentRecord } from '../../protocol';
import {
  CHAIN_GENESIS,
  SettlementBatch,
  SettlementResult,
  batchChainHead,
  TerminalCertificate,
  type Signed,
} from '../../protocol';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { balanceOf } from '../../platform/ledger/post';
import { MASTER_KEY_FILE } from '../../platform/keys/master-key';
import { operatorClient } from '../scenarios/support/rig';
import { terminalKey, TestTerminal } from '../handset/support/terminal';
import { backends } from './support/databases';
import { upload } from './support/kill-moments';
import { startPlatformProcess, usePlatformProcesses } from './support/platform-process';

const onPostgres = backends().includes('postgres');
const PASSWORD = 'correct horse battery';

describe.skipIf(!onPostgres)(
  'two API nodes on one PostgreSQL (skipped without TEST_DATABASE_URL)',
  () => {
    const processes = usePlatformProcesses();

    it('serve alternating requests, settle a batch uploaded to both at once once, and let one of two rival batches win', async () => {
      const store = await processes.store('postgres');
      const folderB = mkdtempSync(join(tmpdir(), 'tapsafe-node-b-'));
      const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-two-nodes-phone-'));
      processes.defer(() => {
        rmSync(folderB, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      });
      const a = await processes.start(store.env);
      const b = await processes.start({ ...store.env, DATA_DIR: folderB });
      const { token } = await store.read((db) => createOperatorToken(db, { label: 'ops', at: 1 }));
      const onA = operatorClient(a.url, token);
      const onB = operatorClient(b.url, token);

      // The user on B; the phone activates on A.
      const added = await onB('POST', '/v1/accounts', {
        accountId: 'ACC-2N',
        name: 'Two Nodes',
        password: PASSWORD,
        balance: 10_000,
      });
      expect(added.status).toBe(201);
      const clock = new SystemClock();
      const link = new HttpPlatformLink({ baseUrl: a.url, clock, timeoutMs: 10_000 });
      const phone = createPhone({
        stateDir,
        imei: '490154203237518',
        imsi: '310150123456789',
        clock,
        platform: link,
      });
      processes.defer(() => phone.close());
      link.attach(phone.wallet);
      await phone.activate({ accountId: 'ACC-2N', password: PASSWORD });

      // The enrollment code on A; the terminal enrolls on B.
      const terminal = { merchantId: 'M-0001', terminalId: 'T-0001-01', key: terminalKey };
      const code = await onA<{ code: string }>('POST', '/v1/enrollment-codes', {
        merchantId: terminal.merchantId,
        terminalId: terminal.terminalId,
      });
      expect(code.status).toBe(201);
      const enrolled = await fetch(`${b.url}/v1/terminals/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code: code.body.code,
          publicKey: Buffer.from(terminalKey.publicKey).toString('hex'),
        }),
      });
      expect(enrolled.status).toBe(201);
      const { trustKeys, certificate } = (await enrolled.json()) as {
        trustKeys: { publicKey: string }[];
        certificate: string;
      };

      // Offline payments at the terminal.
      const field = new InProcessField();
      field.present(phone);
      const till = new TestTerminal(field, clock, {
        certificate: TerminalCertificate.decode(Buffer.from(certificate, 'hex')),
      });
      const records: Signed<PaymentRecord>[] = [];
      for (const amount of [1_250, 40, 999]) {
        const { record } = await till.pay(till.request(amount));
        if (record === undefined) throw new Error('the phone did not pay');
        records.push(record);
      }
      const total = 1_250 + 40 + 999;
      const now = clock.now();
      const batch = SettlementBatch.sign(
        {
          batchId: randomBytes(16),
          merchantId: terminal.merchantId,
          terminalId: terminal.terminalId,
          currency: 978,
          periodStart: now - 3_600,
          periodEnd: now,
          records,
          voids: [],
          recordCount: records.length,
          total,
          voidTotal: 0,
          chainHead: batchChainHead(CHAIN_GENESIS, records, []),
        },
        terminalKey,
      );

      // The same batch to both nodes at once.
      const answers = await Promise.all(
        [a, b].map((node) => upload(node.url, terminal, batch.encoded).answer),
      );
      const issuerKey = Buffer.from(trustKeys[0]?.publicKey ?? '', 'hex');
      for (const answer of answers) {
        expect(answer?.status, `${a.output()}\n${b.output()}`).toBe(200);
        const result = SettlementResult.open(answer!.body, issuerKey).value;
        expect(result.totalCredited).toBe(total);
        expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
      }
      expect(answers.map((answer) => answer?.replayed).sort()).toEqual(['false', 'true']);

      // Settled once: one batch row, each payment once, the merchant credited once.
      await store.read(async (db) => {
        const batches = await db
          .selectFrom('settlement_batches')
          .select('batch_id')
          .where('batch_id', '=', batch.value.batchId)
          .execute();
        expect(batches).toHaveLength(1);
        const payments = await db.selectFrom('settlement_payments').select('counter').execute();
        expect(payments.map((p) => Number(p.counter)).sort()).toEqual([1, 2, 3]);
        expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(total);
      });
      // Both nodes tell the same wallet balance.
      const walletId = Buffer.from(records[0]!.value.walletId).toString('hex');
      for (const ask of [onA, onB]) {
        const shown = await ask<{ balance: number }>('GET', `/v1/wallets/${walletId}`);
        expect(shown.body.balance).toBe(10_000 - total);
      }

      // Two batches continuing the same head, one to each node at once: one settles, the
      // other does not continue the chain any more; re-cut after the winner, it settles.
      const more: Signed<PaymentRecord>[] = [];
      for (const amount of [5, 7]) {
        const { record } = await till.pay(till.request(amount));
        if (record === undefined) throw new Error('the phone did not pay');
        more.push(record);
      }
      const cut = (records: Signed<PaymentRecord>[], previous: Uint8Array) =>
        SettlementBatch.sign(
          {
            ...batch.value,
            batchId: randomBytes(16),
            periodStart: clock.now() - 3_600,
            periodEnd: clock.now(),
            records,
            recordCount: records.length,
            total: records.reduce((sum, r) => sum + r.value.amount, 0),
            chainHead: batchChainHead(previous, records, []),
          },
          terminalKey,
        );
      const rivals = more.map((record) => cut([record], batch.value.chainHead));
      const raced = await Promise.all(
        rivals.map((rival, i) => upload([a, b][i]!.url, terminal, rival.encoded).answer),
      );
      expect(raced.map((answer) => answer?.status).sort()).toEqual([200, 409]);
      const lost = raced.findIndex((answer) => answer?.status === 409);
      expect(JSON.parse(raced[lost]!.body.toString())).toMatchObject({
        error: { code: 'chain_broken', field: 'chainHead' },
      });
      const recut = cut([more[lost]!], rivals[1 - lost]!.value.chainHead);
      expect((await upload([a, b][lost]!.url, terminal, recut.encoded).answer)?.status).toBe(200);
      await store.read(async (db) => {
        expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(total + 12);
      });

      // The key came from configuration: no node made a master.key in its folder.
      expect(existsSync(join(store.dataDir, MASTER_KEY_FILE))).toBe(false);
      expect(existsSync(join(folderB, MASTER_KEY_FILE))).toBe(false);
    }, 120_000);

    it('refuses to start a node on the database without the shared master key', async () => {
      const store = await processes.store('postgres');
      const refused = startPlatformProcess({
        DATA_DIR: store.dataDir,
        DATABASE_URL: store.databaseUrl ?? '',
      });
      await expect(refused).rejects.toThrow(
        /DATABASE_URL is set: every API node needs the same master key, from PLATFORM_MASTER_KEY or PLATFORM_MASTER_KEY_FILE/,
      );
      expect(existsSync(join(store.dataDir, MASTER_KEY_FILE))).toBe(false);
    }, 60_000);
  },
);
