/**
 * The launcher's "is a merchant terminal in this folder?": a read-only look at the identity
 * row. It runs neither the integrity check nor the chain check (the terminal started next
 * makes them, once), and it writes nothing: an older ledger stays at its version.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import * as verify from '../../db/verify';
import { LedgerStore } from '../../db/ledger-store';
import { sql as ledger0001 } from '../../db/migrations/0001_ledger';
import { TerminalStore } from '../../db/terminal-store';
import { merchantTerminalExists } from '../../main/demo/launch';
import { newWallet, record, useTempDir } from '../db/support/ledger';

vi.mock('../../db/verify', async (original) => {
  const actual = await original<typeof verify>();
  return { ...actual, startupCheck: vi.fn(actual.startupCheck) };
});

const tempDir = useTempDir('merchant-exists');
const ledgerIn = (appDataDir: string) => {
  mkdirSync(join(appDataDir, 'terminal'));
  return join(appDataDir, 'terminal', 'ledger.sqlite');
};

const PARAMETERS = {
  currency: 978,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 20,
  freshnessMaxAgeSeconds: 86_400,
  hotlistMaxAgeSeconds: 86_400,
  settlement: { periodSeconds: 86_400, uploadWithinSeconds: 172_800 },
};

describe('merchantTerminalExists', () => {
  it('finds an enrolled ledger without checking it at start-up, and writes nothing', () => {
    const appDataDir = tempDir();
    const path = ledgerIn(appDataDir);
    const ledger = LedgerStore.open(path);
    new TerminalStore(ledger.db).enroll({
      merchantId: 'M-1',
      terminalId: 'T-1',
      publicKey: new Uint8Array(33),
      platformUrl: 'http://127.0.0.1:9',
      enrolledAt: 1,
      parameters: PARAMETERS,
      trustKeys: [],
      certificate: { serial: 1, envelope: Uint8Array.of(1), validFrom: 0, validUntil: 10 },
    });
    ledger.appendPayment(record(newWallet(), 1), 2);
    ledger.close();
    const before = readFileSync(path);
    vi.mocked(verify.startupCheck).mockClear();

    expect(merchantTerminalExists(appDataDir)).toBe(true);
    expect(verify.startupCheck).not.toHaveBeenCalled();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('answers no for an empty folder, and for an older ledger it leaves at its version', () => {
    const appDataDir = tempDir();
    expect(merchantTerminalExists(appDataDir)).toBe(false);
    const path = ledgerIn(appDataDir);
    const raw = new Database(path);
    raw.exec(ledger0001);
    raw.pragma('user_version = 1');
    raw.close();

    expect(merchantTerminalExists(appDataDir)).toBe(false);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    after.close();
  });

  it('refuses a file that is not a ledger, as the terminal would', () => {
    const appDataDir = tempDir();
    const raw = new Database(ledgerIn(appDataDir));
    raw.exec('CREATE TABLE other (x)');
    raw.close();
    expect(() => merchantTerminalExists(appDataDir)).toThrow(/not a Tapsafe ledger/);
  });
});
