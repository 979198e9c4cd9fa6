/**
 * The real phone against the real platform: an embedded platform (PGlite in memory, on
 * 127.0.0.1, any free port) and phones created with createPhone, talking to it over the
 * HTTP client. Phone and platform share one SimulatedClock, so time travel moves both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPhone,
  HttpPlatformLink,
  InProcessField,
  PushClient,
  SimulatedClock,
  type Phone,
} from '../../../handset';
import { TerminalCertificate, type Signed } from '../../../protocol';
import { createOperatorToken } from '../../../platform/auth/operator-tokens';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../../platform/embedded';
import { startPlatformServer } from '../../../platform/server';
import { TestTerminal, terminalKey } from '../../handset/support/terminal';
import type { Backend } from '../../platform/support/databases';
import { makePlatformStore } from '../../platform/support/platform-process';

/** The merchant and terminal every rig enrolls (with terminalKey) through the real API. */
export const MERCHANT_ID = 'M-0001';
export const TERMINAL_ID = 'T-0001-01';

export const IMEI = '490154203237518';
export const IMSI = '310150123456789';
export const PASSWORD = 'correct horse battery';
export const ID_NUMBER = 'X1234567';

export interface ScenarioPhone {
  readonly phone: Phone;
  /** The phone's own folder (removed at close). */
  readonly stateDir: string;
  readonly link: HttpPlatformLink;
  readonly field: InProcessField;
  readonly terminal: TestTerminal;
  push(): PushClient;
}

export interface Rig {
  readonly clock: SimulatedClock;
  readonly platform: EmbeddedPlatform;
  /** The certificate the platform issued the rig's terminal at enrollment. */
  readonly terminalCertificate: Signed<TerminalCertificate>;
  /** An operator call; resolves with status and JSON body. */
  operator<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  addUser(accountId: string, balance: number, options?: { idNumber?: string }): Promise<void>;
  newPhone(options?: { imei?: string; imsi?: string }): ScenarioPhone;
  /** A new user (10,000 in the account) with a phone of its own (distinct IMEI / IMSI). */
  activatedPhone(prefix: string): Promise<ScenarioPhone & { accountId: string }>;
  close(): Promise<void>;
}

/** Operator calls to a running platform over real HTTP; each resolves with status and JSON body. */
export function operatorClient(baseUrl: string, token: string) {
  return async <T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}

/**
 * The platform on PGlite in memory (default), or on a PostgreSQL database of its own
 * (TEST_DATABASE_URL's server; dropped at close) for suites run on both backends.
 */
async function startPlatform(backend: Backend, clock: SimulatedClock): Promise<EmbeddedPlatform> {
  if (backend === 'pglite') return startEmbeddedPlatform({ clock });
  const store = await makePlatformStore(backend);
  const platform = await startPlatformServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: undefined,
    databaseUrl: store.databaseUrl,
    masterKeyHex: store.env.PLATFORM_MASTER_KEY,
    trustProxy: false,
    clock,
  }).catch(async (error: unknown) => {
    await store.dispose();
    throw error;
  });
  const { db } = platform.state;
  return {
    url: platform.url,
    platform,
    createOperatorToken: async (label) =>
      (await createOperatorToken(db, { label, at: clock.now() })).token,
    async close() {
      await platform.close();
      await store.dispose();
    },
  };
}

export async function startRig(options: { backend?: Backend } = {}): Promise<Rig> {
  const clock = new SimulatedClock();
  const platform = await startPlatform(options.backend ?? 'pglite', clock);
  const token = await platform.createOperatorToken('scenarios');
  const dirs: string[] = [];
  const cleanups: (() => void)[] = [];

  const operator = operatorClient(platform.url, token);
  const terminalCertificate = await enrollTerminal(platform.url, operator);
  let users = 0;

  const rig: Rig = {
    clock,
    platform,
    terminalCertificate,
    operator,
    async addUser(accountId, balance, options = {}) {
      const { status, body } = await operator('POST', '/v1/accounts', {
        accountId,
        name: `User ${accountId}`,
        password: PASSWORD,
        balance,
        ...(options.idNumber === undefined ? {} : { idNumber: options.idNumber }),
      });
      if (status !== 201) throw new Error(`add user: ${status} ${JSON.stringify(body)}`);
    },
    newPhone(options = {}) {
      const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-scenario-'));
      dirs.push(stateDir);
      const link = new HttpPlatformLink({ baseUrl: platform.url, clock, timeoutMs: 5_000 });
      const phone = createPhone({
        stateDir,
        imei: options.imei ?? IMEI,
        imsi: options.imsi ?? IMSI,
        clock,
        platform: link,
      });
      link.attach(phone.wallet);
      const field = new InProcessField();
      field.present(phone);
      cleanups.push(() => phone.close());
      return {
        phone,
        stateDir,
        link,
        field,
        terminal: new TestTerminal(field, clock, { certificate: terminalCertificate }),
        push() {
          const client = new PushClient({ phone, link, backoffMs: 50, pullIntervalMs: 0 });
          cleanups.push(() => client.stop());
          client.start();
          return client;
        },
      };
    },
    async activatedPhone(prefix) {
      users += 1;
      const accountId = `${prefix}-${users}`;
      await rig.addUser(accountId, 10_000);
      const digits = String(1000 + users).padStart(4, '0');
      const phone = rig.newPhone({ imei: `49015420323${digits}`, imsi: `31015012345${digits}` });
      await phone.phone.activate({ accountId, password: PASSWORD });
      return { ...phone, accountId };
    },
    async close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      await platform.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/**
 * Enrolls the test terminal as a merchant's POS would: an operator's enrollment code, then
 * the terminal's own call with its public key; resolves with the certificate issued.
 */
export async function enrollTerminal(
  baseUrl: string,
  operator: ReturnType<typeof operatorClient>,
): Promise<Signed<TerminalCertificate>> {
  const code = await operator<{ code: string }>('POST', '/v1/enrollment-codes', {
    merchantId: MERCHANT_ID,
    terminalId: TERMINAL_ID,
  });
  if (code.status !== 201) throw new Error(`enrollment code: ${code.status}`);
  const response = await fetch(new URL('/v1/terminals/enroll', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: code.body.code,
      publicKey: Buffer.from(terminalKey.publicKey).toString('hex'),
    }),
  });
  const body = (await response.json()) as { certificate?: string };
  if (response.status !== 201 || body.certificate === undefined) {
    throw new Error(`enroll: ${response.status} ${JSON.stringify(body)}`);
  }
  return TerminalCertificate.decode(Buffer.from(body.certificate, 'hex'));
}

/** Polls `check` until it holds (push delivery is asynchronous). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
