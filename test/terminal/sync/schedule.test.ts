/**
 * The sync schedule (injected timers) and the readiness rules of setup(), against the real
 * platform on PGlite (and PostgreSQL with TEST_DATABASE_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, Hotlist, keyIdOf } from '../../../protocol';
import { LedgerStore } from '../../../db/ledger-store';
import { TerminalStore } from '../../../db/terminal-store';
import { createEnrollmentService } from '../../../main/terminal/enrollment';
import { TerminalError } from '../../../main/terminal/errors';
import { createSyncService } from '../../../main/terminal/sync';
import { backends } from '../../platform/support/databases';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { syncedTerminal, type SyncedTerminal } from '../support/synced-terminal';

const DAY = 86_400;

describe.each(backends())('sync schedule and readiness on %s', (backend) => {
  let platform: TestPlatform;
  const terminals: SyncedTerminal[] = [];
  let count = 0;
  const newTerminal = async (parameters?: Record<string, unknown>) => {
    count += 1;
    const t = await syncedTerminal(platform, `T-SCHED-${count}`, parameters ? { parameters } : {});
    terminals.push(t);
    return t;
  };
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
  });
  afterEach(() => {
    for (const t of terminals.splice(0)) t.files.close();
  });
  afterAll(() => platform.close());

  it('syncs at once when started, then before the hotlist goes stale, and backs off after a failure', async () => {
    const t = await newTerminal({ hotlistMaxAgeSeconds: 3_600 });
    t.sync.start();
    expect(t.timers.map((x) => x.ms)).toEqual([0]);
    t.timers[0]!.fire();
    await t.sync.syncNow(); // joins the scheduled one
    const planned = t.timers.at(-1)!;
    // A tenth of the allowed age ahead of staleness: 3,600 − 360 s after issuedAt.
    expect(planned.ms).toBe((3_600 - 360) * 1000);
    expect(t.sync.status().nextSyncAt).toBe(platform.clock.now() + 3_240);

    t.seam.down = true;
    planned.fire();
    await t.sync.syncNow().catch(() => undefined);
    expect(t.timers.at(-1)!.ms).toBe(60_000); // first retry in a minute
    t.timers.at(-1)!.fire();
    await t.sync.syncNow().catch(() => undefined);
    expect(t.timers.at(-1)!.ms).toBe(120_000); // then two
    expect(t.events.at(-1)).toMatchObject({
      event: 'sync.status',
      payload: { lastOutcome: 'network' },
    });

    t.sync.stop();
    expect(t.timers.every((x) => x.cleared || x.fire !== undefined)).toBe(true);
    expect(t.timers.at(-1)!.cleared).toBe(true);
    expect(t.sync.status().nextSyncAt).toBeNull();
  });

  it('without hotlist pressure, syncs daily', async () => {
    const t = await newTerminal({ hotlistMaxAgeSeconds: 7 * DAY });
    await t.sync.syncNow();
    t.sync.start();
    expect(t.timers.at(-1)!.ms).toBe(DAY * 1000);
  });

  it('takes no payment once its certificate has expired', async () => {
    const t = await newTerminal({ hotlistMaxAgeSeconds: 365 * DAY });
    await t.sync.syncNow();
    const until = t.sync.status().certificate!.validUntil;
    platform.clock.set(until);
    expect('notReady' in t.sync.setup()).toBe(false);
    platform.clock.set(until + 1);
    expect(t.sync.setup()).toMatchObject({ notReady: { reason: 'certificate_expired' } });
  });

  it('refuses a hotlist signed by a key the platform does not list, after asking again', async () => {
    const t = await newTerminal();
    const stranger = generateSigningKey();
    t.seam.hotlist = () =>
      Hotlist.sign(
        {
          hotlistVersion: 10_000,
          kind: 'full',
          baseVersion: 0,
          issuerKeyId: keyIdOf(stranger.publicKey),
          issuedAt: platform.clock.now(),
          entries: [],
          notices: [],
        },
        stranger,
      ).encoded;
    const error = await t.sync.syncNow().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as TerminalError).code).toBe('hotlist_unknown_key');
    expect(t.seam.calls.filter((c) => c === 'terminalInfo')).toHaveLength(2);
    expect(t.sync.status().hotlist.version).toBe(0);
    t.seam.calls.length = 0;
    await t.sync.refreshTrustKeys();
    expect(t.seam.calls).toEqual(['terminalInfo']);
  });
});

describe('sync before enrollment', () => {
  it('is not ready and refuses to sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapsafe-unenrolled-'));
    const ledger = LedgerStore.open(join(dir, 'ledger.db'));
    try {
      const store = new TerminalStore(ledger.db);
      const clock = { now: () => 1_800_000_000 };
      const sync = createSyncService({
        store,
        enrollment: createEnrollmentService({ store, dataDir: dir, clock }),
        hotlistPath: join(dir, 'hotlist.bin'),
        clock,
      });
      expect(sync.setup()).toMatchObject({ notReady: { reason: 'not_enrolled' } });
      expect(sync.status()).toMatchObject({ enrolled: false, canTakePayments: false });
      const error = await sync.syncNow().catch((e: unknown) => e);
      expect((error as TerminalError).code).toBe('not_enrolled');
    } finally {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
