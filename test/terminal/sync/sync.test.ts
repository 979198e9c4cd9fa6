/**
 * The sync service against the real platform (PGlite, and PostgreSQL with TEST_DATABASE_URL):
 * the full hotlist then a delta after a lost report, lists refused (tampered, older),
 * suspension and resumption, renewal, a stale hotlist, and the platform down.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Hotlist } from '../../../protocol';
import { TerminalError } from '../../../main/terminal/errors';
import type { SyncService } from '../../../main/terminal/sync';
import { backends } from '../../platform/support/databases';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { syncedTerminal, type SyncedTerminal } from '../support/synced-terminal';

const DAY = 86_400;
const id = (walletIdHex: string) => Buffer.from(walletIdHex, 'hex');

async function refusal(promise: Promise<unknown>): Promise<TerminalError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TerminalError);
  return error as TerminalError;
}

const notReady = (sync: SyncService) => {
  const setup = sync.setup();
  return 'notReady' in setup ? setup.notReady.reason : 'ready';
};

describe.each(backends())('terminal sync on %s', (backend) => {
  let platform: TestPlatform;
  const terminals: SyncedTerminal[] = [];
  let count = 0;
  const newTerminal = async (parameters?: Record<string, unknown>) => {
    count += 1;
    const terminal = await syncedTerminal(
      platform,
      `T-SYNC-${count}`,
      parameters ? { parameters } : {},
    );
    terminals.push(terminal);
    return terminal;
  };
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
  });
  afterEach(() => {
    for (const terminal of terminals.splice(0)) terminal.files.close();
  });
  afterAll(() => platform.close());

  it('takes no payment before its first hotlist, then syncs the full list and a delta', async () => {
    const ann = await platform.activatedWallet(`ann-${backend}`);
    const v1 = await platform.reportLost(ann);
    const t = await newTerminal();
    expect(notReady(t.sync)).toBe('no_hotlist');

    const first = await t.sync.syncNow();
    expect(t.seam.calls).toEqual(['enroll', 'terminalInfo', 'hotlistFull']);
    expect(first).toMatchObject({ canTakePayments: true, lastOutcome: 'ok', notReady: null });
    expect(first.hotlist.version).toBe(v1);
    const setup = t.sync.setup();
    if ('notReady' in setup) throw new Error(setup.notReady.message);
    expect(setup.hotlist.lookup(id(ann))?.reason).toBe('lost');
    expect(setup.hotlist.notices(id(ann)).length).toBeGreaterThan(0);
    expect(setup.identity.terminalId).toBe('T-SYNC-1');
    expect(t.events.at(-1)).toMatchObject({ event: 'sync.status', payload: { lastOutcome: 'ok' } });

    const bob = await platform.activatedWallet(`bob-${backend}`);
    const v2 = await platform.reportLost(bob);
    t.seam.calls.length = 0;
    const second = await t.sync.syncNow();
    expect(t.seam.calls).toEqual(['terminalInfo', `hotlistDelta:${v1}`]);
    expect(second.hotlist.version).toBe(v2);
    const view = (t.sync.setup() as { hotlist: SyncedTerminalHotlist }).hotlist;
    expect(view.lookup(id(bob))?.reason).toBe('lost');
    expect(view.lookup(id(ann))?.reason).toBe('lost');
    expect(view.notices(id(bob)).length).toBeGreaterThan(0);

    // A restart loads the same list from its file.
    const restarted = t.restart();
    expect(restarted.status().hotlist).toEqual(second.hotlist);
    expect(
      (restarted.setup() as { hotlist: SyncedTerminalHotlist }).hotlist.lookup(id(bob)),
    ).toBeDefined();
  });

  it('refuses a tampered hotlist and an older one, keeping the list it has', async () => {
    const t = await newTerminal();
    await t.sync.syncNow();
    let captured: Uint8Array | undefined;
    t.seam.hotlist = (bytes) => {
      captured ??= bytes;
      return bytes;
    };
    // Capture the list as it is now (a delta onto our version), then move the platform on.
    await t.sync.syncNow();
    const before = t.sync.status().hotlist;
    const carl = await platform.activatedWallet(`carl-${backend}`);
    await platform.reportLost(carl);

    t.seam.hotlist = (bytes) => {
      const tampered = Uint8Array.from(bytes);
      const last = tampered.length - 1;
      tampered[last] = (tampered[last] as number) ^ 1; // the signature's last byte
      return tampered;
    };
    expect((await refusal(t.sync.syncNow())).code).toBe('hotlist_invalid');
    expect(t.sync.status()).toMatchObject({ hotlist: before, lastOutcome: 'hotlist_invalid' });

    await ((t.seam.hotlist = undefined), t.sync.syncNow());
    const newer = t.sync.status().hotlist;
    expect(newer.version).toBeGreaterThan(before.version);

    // The platform (or someone in between) answers the older list: refused.
    // The captured envelope is the platform's own, correctly signed, of an older version.
    expect(Hotlist.decode(captured!).value.hotlistVersion).toBe(before.version);
    t.seam.hotlist = () => captured!;
    const error = await refusal(t.sync.syncNow());
    expect(error.code).toBe('hotlist_rollback');
    expect(t.sync.status().hotlist).toEqual(newer);

    // Even with the hotlist file gone, the ledger remembers the highest version applied.
    rmSync(join(t.files.dir, 'hotlist.bin'));
    const restarted = t.restart();
    expect(restarted.setup()).toMatchObject({ notReady: { reason: 'no_hotlist' } });
    expect((await refusal(restarted.syncNow())).code).toBe('hotlist_rollback');
    t.seam.hotlist = undefined;
    expect((await restarted.syncNow()).hotlist.version).toBe(newer.version);
  });

  it('honours a suspension, and after resuming renews before taking payments', async () => {
    const t = await newTerminal();
    await t.sync.syncNow();
    const serial = t.sync.status().certificate!.serial;
    expect((await platform.operator('POST', '/v1/terminals/T-SYNC-3/suspend', {})).status).toBe(
      200,
    );
    const suspended = await t.sync.syncNow();
    expect(suspended).toMatchObject({
      suspended: true,
      canTakePayments: false,
      lastOutcome: 'terminal_suspended',
      notReady: { reason: 'suspended' },
    });
    expect(notReady(t.sync)).toBe('suspended');

    expect((await platform.operator('POST', '/v1/terminals/T-SYNC-3/resume', {})).status).toBe(200);
    const resumed = await t.sync.syncNow();
    expect(resumed).toMatchObject({ suspended: false, canTakePayments: true });
    expect(resumed.certificate!.serial).toBeGreaterThan(serial);
  });

  it('renews its certificate once less than half its lifetime remains', async () => {
    const t = await newTerminal();
    await t.sync.syncNow();
    const first = t.sync.status().certificate!;
    expect(t.seam.calls).not.toContain('renewCertificate');
    platform.clock.advance(14 * DAY);
    await t.sync.syncNow();
    expect(t.sync.status().certificate!.serial).toBe(first.serial);
    platform.clock.advance(2 * DAY);
    const renewed = await t.sync.syncNow();
    expect(t.seam.calls).toContain('renewCertificate');
    expect(renewed.certificate!.serial).toBeGreaterThan(first.serial);
    expect(renewed.certificate!.validUntil).toBeGreaterThan(first.validUntil);
    // The one presented is the new one.
    const setup = t.sync.setup();
    if ('notReady' in setup) throw new Error(setup.notReady.message);
    expect(setup.identity.certificate.value.serial).toBe(renewed.certificate!.serial);
  });

  it('stops taking payments when its hotlist gets older than hotlistMaxAgeSeconds', async () => {
    const t = await newTerminal({ hotlistMaxAgeSeconds: 3_600 });
    await t.sync.syncNow();
    expect(notReady(t.sync)).toBe('ready');
    platform.clock.advance(3_600);
    expect(notReady(t.sync)).toBe('ready');
    platform.clock.advance(1);
    expect(notReady(t.sync)).toBe('hotlist_stale');
    expect(t.sync.status()).toMatchObject({
      canTakePayments: false,
      hotlist: { ageSeconds: 3_601 },
    });
  });

  it('platform down: a typed error, the outcome recorded, nothing else changed', async () => {
    const t = await newTerminal();
    await t.sync.syncNow();
    const before = t.sync.status();
    const stored = {
      identity: t.files.store.identity(),
      keys: t.files.store.trustKeys(),
      certificate: t.files.store.certificate(platform.clock.now()),
    };
    t.seam.down = true;
    platform.clock.advance(60);
    const error = await refusal(t.sync.syncNow());
    expect(error.code).toBe('network');
    const after = t.sync.status();
    expect(after).toMatchObject({ lastOutcome: 'network', lastSuccessAt: before.lastSuccessAt });
    expect(after.hotlist.version).toBe(before.hotlist.version);
    expect(t.files.store.identity()).toEqual(stored.identity);
    expect(t.files.store.trustKeys()).toEqual(stored.keys);
    expect(t.files.store.certificate(platform.clock.now())).toEqual(stored.certificate);
    expect(t.timers).toHaveLength(0); // the schedule was not started: nothing was planned
  });
});

type SyncedTerminalHotlist = {
  lookup(walletId: Uint8Array): { reason: string } | undefined;
  notices(walletId: Uint8Array): readonly Uint8Array[];
};
