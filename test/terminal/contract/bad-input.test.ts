/**
 * Bad input at the contract: every method called with wrong types, missing or extra fields,
 * huge, negative or fractional amounts, unknown currencies — each answered with a typed error
 * (never `internal`, never a stack), and nothing written to the ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_PARAMS, type ApiMethodName } from '../../../preload/contract';
import { dispatchApiCall } from '../../../main/terminal/api/dispatch';
import { createTerminal, type Terminal } from '../../../main/terminal';

let dataDir: string;
let terminal: Terminal;
const logged: unknown[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-contract-'));
  terminal = createTerminal({
    dataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    drivers: [],
    pcsc: { available: false, notice: null },
    logError: (error) => logged.push(error),
  });
});

afterAll(async () => {
  await terminal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: unknown, params?: unknown) =>
  dispatchApiCall(terminal.handlers, method, params, (error) => logged.push(error));

const junk: readonly unknown[] = [
  42,
  'text',
  true,
  [],
  [1, 2],
  { unexpected: 1 },
  { amount: '10' },
  { __proto__: { amount: 5 } },
];

/** Amounts and currencies no sale may carry. */
const badSales: readonly unknown[] = [
  {},
  { amount: 0 },
  { amount: -1 },
  { amount: 1.5 },
  { amount: Number.MAX_SAFE_INTEGER + 2 },
  { amount: 1e308 },
  { amount: Number.NaN },
  { amount: '100' },
  { amount: 100, currency: 0 },
  { amount: 100, currency: 999 },
  { amount: 100, currency: 1000 },
  { amount: 100, currency: '978' },
  { amount: 100, readerName: '' },
  { amount: 100, extra: true },
];

/** Nothing was written: no payment, no void, no batch, the chain still at its start. */
async function ledgerUntouched(): Promise<void> {
  expect(await call('payments.list', {})).toMatchObject({ ok: true, result: { total: 0 } });
  const x = await call('reports.x');
  expect(x).toMatchObject({ ok: true, result: { count: 0, voidCount: 0 } });
  expect(await call('settlement.batches')).toMatchObject({ ok: true, result: [] });
}

describe('the contract refuses bad input with typed errors', () => {
  it('answers every method called with junk parameters without an internal error', async () => {
    const names = Object.keys(METHOD_PARAMS) as ApiMethodName[];
    for (const method of names) {
      for (const params of junk) {
        const outcome = await call(method, params);
        if (outcome.ok) {
          // Only methods whose schema accepts "no parameters" plus defaults may pass: none of
          // these junk values is such a case.
          throw new Error(`${method} accepted ${JSON.stringify(params)}`);
        }
        expect(['invalid_params', 'refused']).toContain(outcome.error.code);
        expect(outcome.error.message).not.toMatch(/\n\s+at /);
      }
    }
    expect(logged).toEqual([]);
    await ledgerUntouched();
  });

  it('refuses impossible sales before any reader is asked, naming the field', async () => {
    for (const params of badSales) {
      const outcome = await call('checkout.start', params);
      expect(outcome.ok, JSON.stringify(params)).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe('invalid_params');
    }
    const unknownCurrency = await call('checkout.start', { amount: 100, currency: 999 });
    expect(unknownCurrency).toMatchObject({ ok: false, error: { field: 'currency' } });
  });

  it('refuses a valid sale on an unenrolled terminal with its reason, writing nothing', async () => {
    const outcome = await call('checkout.start', { amount: 100, currency: 978 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'refused' } });
    const history = await call('payments.list', {});
    expect(history).toMatchObject({ ok: true, result: { total: 0, payments: [] } });
    expect(await call('settlement.close')).toMatchObject({ ok: false, error: { code: 'refused' } });
    await ledgerUntouched();
  });

  it('refuses unknown methods, prototype names and non-string methods', async () => {
    for (const method of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await call(method)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    for (const method of [1, null, undefined, {}, ['app.info']]) {
      expect(await call(method)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
  });

  it('refuses voids, results and reports of things that do not exist', async () => {
    expect(await call('payments.void', { paymentId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'refused', reason: 'payment_not_found' },
    });
    expect(await call('payments.void', { paymentId: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params', field: 'paymentId' },
    });
    expect(await call('settlement.result', { batchId: 'zz' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
    expect(await call('reports.salesByDay', { from: 10, to: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
    expect(await call('backup.create', { path: 'relative/path.sqlite' })).toMatchObject({
      ok: false,
      error: { code: 'refused', reason: 'path_not_absolute' },
    });
    expect(await call('demo.action', { phoneId: 'p', action: 'tap' })).toMatchObject({
      ok: false,
      error: { code: 'refused', reason: 'not_demo' },
    });
    expect(
      await call('enrollment.enroll', { platformUrl: 'file:///etc/passwd', code: 'ABCD-1234' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_params', field: 'platformUrl' },
    });
  });
});
