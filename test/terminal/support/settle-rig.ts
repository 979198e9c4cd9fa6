/**
 * Settlement against the real platform: the platform on a store of its own (a PGlite folder,
 * or a PostgreSQL database when the backend is postgres) that can be stopped and started
 * again on the same data and port, a terminal enrolled through the API (its key, trust keys
 * and parameters as the platform answered them), real activated phones paying it, and the
 * terminal's ledger in a temp folder. One SimulatedClock for all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerStore } from '../../../db/ledger-store';
import { createPhone, HttpPlatformLink, InProcessField, SimulatedClock } from '../../../handset';
import type { TerminalIdentity, TerminalParameters, TrustKey } from '../../../main/terminal/model';
import { createOperatorToken } from '../../../platform/auth/operator-tokens';
import { startEmbeddedPlatform } from '../../../platform/embedded';
import { balanceOf, ledgerAccount } from '../../../platform/ledger/post';
import { startPlatformServer, type RunningPlatform } from '../../../platform/server';
import { TerminalCertificate, type PaymentRecord, type Signed } from '../../../protocol';
import type { Backend } from '../../platform/support/databases';
import { makePlatformStore, type PlatformStore } from '../../platform/support/platform-process';
import { TestTerminal, terminalKey } from '../../handset/support/terminal';
import { MERCHANT_ID, operatorClient, PASSWORD, TERMINAL_ID } from '../../scenarios/support/rig';
import { signedUpload } from './upload-transport';

export interface SettleRig {
  readonly clock: SimulatedClock;
  readonly ledger: LedgerStore;
  readonly identity: TerminalIdentity;
  readonly trustKeys: TrustKey[];
  readonly parameters: TerminalParameters;
  /** The platform's URL (the same across restarts). */
  readonly url: string;
  uploadBatch(envelope: Uint8Array): Promise<Uint8Array>;
  /** Pays `amount` with a fresh activated phone's wallet and stores the record in the ledger. */
  pay(phone: RigPhone, amount: number): Promise<Signed<PaymentRecord>>;
  activatedPhone(prefix: string): Promise<RigPhone>;
  stopPlatform(): Promise<void>;
  startPlatform(): Promise<void>;
  merchantBalance(): Promise<number>;
  /** The wallet's balance in the platform's ledger. */
  walletBalance(walletId: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

export interface RigPhone {
  readonly accountId: string;
  readonly terminal: TestTerminal;
}

export async function startSettleRig(
  backend: Backend,
  settlement = { periodSeconds: 3_600, uploadWithinSeconds: 600 },
): Promise<SettleRig> {
  const clock = new SimulatedClock();
  const store: PlatformStore = await makePlatformStore(backend);
  const dirs: string[] = [];
  const cleanups: (() => void)[] = [];
  let platform: RunningPlatform | undefined;
  let port = 0;

  async function startPlatform(): Promise<void> {
    if (store.databaseUrl === undefined) {
      platform = (await startEmbeddedPlatform({ dataDir: store.dataDir, clock, port, jobs: false }))
        .platform;
    } else {
      platform = await startPlatformServer({
        host: '127.0.0.1',
        port,
        dataDir: undefined,
        databaseUrl: store.databaseUrl,
        masterKeyHex: store.env.PLATFORM_MASTER_KEY,
        trustProxy: false,
        clock,
        jobs: false,
      });
    }
    port = Number(new URL(platform.url).port);
  }
  const running = (): RunningPlatform => {
    if (platform === undefined) throw new Error('the platform is stopped');
    return platform;
  };

  await startPlatform();
  const url = running().url;
  const { token } = await createOperatorToken(running().state.db, {
    label: 'settle',
    at: clock.now(),
  });
  const operator = operatorClient(url, token);

  const code = await operator<{ code: string }>('POST', '/v1/enrollment-codes', {
    merchantId: MERCHANT_ID,
    terminalId: TERMINAL_ID,
    parameters: { settlement },
  });
  if (code.status !== 201)
    throw new Error(`enrollment code: ${code.status} ${JSON.stringify(code.body)}`);
  const enrolled = await fetch(new URL('/v1/terminals/enroll', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: code.body.code,
      publicKey: Buffer.from(terminalKey.publicKey).toString('hex'),
    }),
  });
  const body = (await enrolled.json()) as {
    certificate: string;
    parameters: TerminalParameters;
    trustKeys: { keyId: string; publicKey: string; retiredAt: number | null }[];
  };
  if (enrolled.status !== 201)
    throw new Error(`enroll: ${enrolled.status} ${JSON.stringify(body)}`);
  const certificate = TerminalCertificate.decode(Buffer.from(body.certificate, 'hex'));
  const identity: TerminalIdentity = {
    merchantId: MERCHANT_ID,
    terminalId: TERMINAL_ID,
    certificate,
    signer: terminalKey,
  };

  const ledgerDir = mkdtempSync(join(tmpdir(), 'tapsafe-settle-ledger-'));
  dirs.push(ledgerDir);
  const ledger = LedgerStore.open(join(ledgerDir, 'ledger.db'));
  let users = 0;

  return {
    clock,
    ledger,
    identity,
    parameters: body.parameters,
    trustKeys: body.trustKeys.map((k) => ({
      keyId: Buffer.from(k.keyId, 'hex'),
      publicKey: Buffer.from(k.publicKey, 'hex'),
      retiredAt: k.retiredAt,
    })),
    url,
    uploadBatch: signedUpload({
      baseUrl: () => url,
      terminalId: TERMINAL_ID,
      key: terminalKey,
      clock,
    }),
    async activatedPhone(prefix) {
      users += 1;
      const accountId = `${prefix}-${users}`;
      const created = await operator('POST', '/v1/accounts', {
        accountId,
        name: `User ${accountId}`,
        password: PASSWORD,
        balance: 10_000,
      });
      if (created.status !== 201) throw new Error(`account: ${created.status}`);
      const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-settle-phone-'));
      dirs.push(stateDir);
      const digits = String(1000 + users).padStart(4, '0');
      const link = new HttpPlatformLink({ baseUrl: url, clock, timeoutMs: 5_000 });
      const phone = createPhone({
        stateDir,
        imei: `49015420323${digits}`,
        imsi: `31015012345${digits}`,
        clock,
        platform: link,
      });
      link.attach(phone.wallet);
      cleanups.push(() => phone.close());
      const field = new InProcessField();
      field.present(phone);
      await phone.activate({ accountId, password: PASSWORD });
      return { accountId, terminal: new TestTerminal(field, clock, { certificate }) };
    },
    async pay(phone, amount) {
      const { sw, record } = await phone.terminal.pay(
        phone.terminal.request(amount, body.parameters.currency),
      );
      if (record === undefined) throw new Error(`PAY answered ${sw.toString(16)}`);
      ledger.appendPayment(record, clock.now());
      return record;
    },
    async stopPlatform() {
      await running().close();
      platform = undefined;
    },
    startPlatform,
    merchantBalance: () => balanceOf(running().state.db, ledgerAccount('merchant', MERCHANT_ID)),
    walletBalance: (walletId) =>
      balanceOf(running().state.db, ledgerAccount('wallet', Buffer.from(walletId).toString('hex'))),
    async close() {
      ledger.close();
      for (const cleanup of cleanups.splice(0)) cleanup();
      await platform?.close();
      await store.dispose();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
