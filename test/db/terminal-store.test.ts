/** The terminal's trust set-up in a real ledger file (migration 0003_terminal). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../db/ledger-store';
import { TerminalStore, type Enrolment } from '../../db/terminal-store';
import { isLedgerError } from '../../db/errors';
import { useTempDir } from './support/ledger';

const tempDir = useTempDir('terminal-store');
const T0 = 1_800_000_000;
const DAY = 86_400;

const parameters = {
  currency: 978,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 20,
  freshnessMaxAgeSeconds: 7 * DAY,
  hotlistMaxAgeSeconds: DAY,
  settlement: { periodSeconds: DAY, uploadWithinSeconds: 6 * 3600 },
};
const key = (n: number) => ({
  keyId: new Uint8Array(8).fill(n),
  publicKey: new Uint8Array(33).fill(n).fill(2, 0, 1),
  retiredAt: null,
});
const certificate = (serial: number, validFrom: number, validUntil: number) => ({
  serial,
  envelope: new Uint8Array([serial]),
  validFrom,
  validUntil,
});
const enrolment: Enrolment = {
  merchantId: 'M-1',
  terminalId: 'T-1',
  publicKey: new Uint8Array(33).fill(3),
  platformUrl: 'http://127.0.0.1:1',
  enrolledAt: T0,
  parameters,
  trustKeys: [key(1)],
  certificate: certificate(10, T0 - 300, T0 + 30 * DAY),
};

function open() {
  const ledger = LedgerStore.open(join(tempDir(), 'ledger.db'));
  return { ledger, store: new TerminalStore(ledger.db) };
}

describe('TerminalStore', () => {
  it('is empty before enrollment and keeps an enrollment whole', () => {
    const { ledger, store } = open();
    expect(store.identity()).toBeUndefined();
    expect(store.certificate(T0)).toBeUndefined();
    store.enroll(enrolment);
    expect(store.identity()).toMatchObject({
      merchantId: 'M-1',
      terminalId: 'T-1',
      parameters,
      suspended: false,
      hotlistVersion: 0,
    });
    expect(store.trustKeys()).toEqual([key(1)]);
    let error: unknown;
    try {
      store.enroll(enrolment);
    } catch (e) {
      error = e;
    }
    expect(isLedgerError(error, 'already_enrolled')).toBe(true);
    ledger.close();
  });

  it('presents the newest valid certificate, else the newest expired one', () => {
    const { ledger, store } = open();
    store.enroll(enrolment);
    store.addCertificate(certificate(11, T0 + 15 * DAY, T0 + 45 * DAY), T0 + 15 * DAY);
    expect(store.certificate(T0 + DAY)?.serial).toBe(10); // 11 is not valid yet by this clock
    expect(store.certificate(T0 + 20 * DAY)?.serial).toBe(11);
    expect(store.certificate(T0 + 50 * DAY)?.serial).toBe(11);
    // Long expired ones are dropped when a new one comes.
    store.addCertificate(certificate(12, T0 + 200 * DAY, T0 + 230 * DAY), T0 + 200 * DAY);
    expect(store.certificate(T0 + 20 * DAY)?.serial).toBe(12);
    ledger.close();
  });

  it('takes the terminal view, the suspension, the hotlist floor and the sync outcome', () => {
    const { ledger, store } = open();
    store.enroll(enrolment);
    store.applyTerminalView({
      parameters: { ...parameters, hotlistMaxAgeSeconds: 3600 },
      trustKeys: [key(2), { ...key(1), retiredAt: T0 + DAY }],
      suspended: true,
      suspendedAt: T0 + 5,
    });
    expect(store.identity()).toMatchObject({ suspended: true, suspendedAt: T0 + 5 });
    expect(store.identity()?.parameters.hotlistMaxAgeSeconds).toBe(3600);
    expect(store.trustKeys()).toEqual([{ ...key(1), retiredAt: T0 + DAY }, key(2)]);
    store.setHotlistVersion(7);
    store.setHotlistVersion(3);
    expect(store.identity()?.hotlistVersion).toBe(7);
    store.recordSync(T0 + 10, 'ok', null);
    store.recordSync(T0 + 20, 'network', 'cannot reach');
    expect(store.syncRecord()).toEqual({
      lastSyncAt: T0 + 20,
      lastOutcome: 'network',
      lastMessage: 'cannot reach',
      lastSuccessAt: T0 + 10,
    });
    ledger.close();
  });
});
