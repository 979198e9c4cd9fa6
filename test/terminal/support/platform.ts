/**
 * The real platform for terminal tests: embedded on PGlite in memory, or on a PostgreSQL
 * database of its own (TEST_DATABASE_URL), on 127.0.0.1 with any free port, sharing a
 * SimulatedClock with the terminal. `enrollmentCode` is the operator's step of enrollment.
 */
import { randomBytes } from 'node:crypto';
import { SimulatedClock } from '../../../handset';
import { generateSigningKey } from '../../../protocol';
import { startEmbeddedPlatform } from '../../../platform/embedded';
import { createOperatorToken } from '../../../platform/auth/operator-tokens';
import { startPlatformServer } from '../../../platform/server';
import { operatorClient } from '../../scenarios/support/rig';
import { makePlatformStore } from '../../platform/support/platform-process';
import type { Backend } from '../../platform/support/databases';

export interface TestPlatform {
  readonly url: string;
  readonly clock: SimulatedClock;
  operator: ReturnType<typeof operatorClient>;
  /** A fresh enrollment code for `terminalId` (merchant M-0001 unless told). */
  enrollmentCode(
    terminalId: string,
    options?: { ttlSeconds?: number; parameters?: Record<string, unknown> },
  ): Promise<string>;
  /** A new account with an activated wallet (its own IMEI / IMSI); its walletId, hex. */
  activatedWallet(accountId: string): Promise<string>;
  /** The operator's lost report; the hotlist version it made. */
  reportLost(walletIdHex: string): Promise<number>;
  close(): Promise<void>;
}

let phones = 0;

export async function startTestPlatform(backend: Backend): Promise<TestPlatform> {
  const clock = new SimulatedClock();
  let url: string;
  let token: string;
  let close: () => Promise<void>;
  if (backend === 'pglite') {
    const embedded = await startEmbeddedPlatform({ clock, jobs: false });
    url = embedded.url;
    token = await embedded.createOperatorToken('terminal tests');
    close = () => embedded.close();
  } else {
    const store = await makePlatformStore('postgres');
    const running = await startPlatformServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: undefined,
      databaseUrl: store.databaseUrl,
      masterKeyHex: randomBytes(32).toString('hex'),
      trustProxy: false,
      clock,
      jobs: false,
    });
    url = running.url;
    token = (
      await createOperatorToken(running.state.db, { label: 'terminal tests', at: clock.now() })
    ).token;
    close = async () => {
      await running.close();
      await store.dispose();
    };
  }
  const operator = operatorClient(url, token);
  return {
    url,
    clock,
    operator,
    async enrollmentCode(terminalId, options = {}) {
      const { status, body } = await operator<{ code: string }>('POST', '/v1/enrollment-codes', {
        merchantId: 'M-0001',
        terminalId,
        ...options,
      });
      if (status !== 201) throw new Error(`enrollment code: ${status} ${JSON.stringify(body)}`);
      return body.code;
    },
    async activatedWallet(accountId) {
      const account = await operator('POST', '/v1/accounts', {
        accountId,
        name: `User ${accountId}`,
        password: 'correct horse battery',
        balance: 10_000,
      });
      if (account.status !== 201) throw new Error(`account: ${account.status}`);
      phones += 1;
      const digits = String(10_000 + phones);
      const response = await fetch(new URL('/v1/activations', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          imei: `4901542032${digits}`,
          imsi: `3101501234${digits}`,
          walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
          registration: { accountId, password: 'correct horse battery' },
        }),
      });
      const body = (await response.json()) as { walletId?: string };
      if (response.status !== 201 || body.walletId === undefined) {
        throw new Error(`activation: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.walletId;
    },
    async reportLost(walletIdHex) {
      const { status, body } = await operator<{ hotlistVersion: number }>(
        'POST',
        '/v1/lost-reports',
        { walletId: walletIdHex },
      );
      if (status !== 200) throw new Error(`lost report: ${status} ${JSON.stringify(body)}`);
      return body.hotlistVersion;
    },
    close,
  };
}
