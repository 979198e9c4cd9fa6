/**
 * The real platform for terminal tests: embedded on PGlite in memory, or on a PostgreSQL
 * database of its own (TEST_DATABASE_URL), on 127.0.0.1 with any free port, sharing a
 * SimulatedClock with the terminal. `enrollmentCode` is the operator's step of enrollment.
 */
import { randomBytes } from 'node:crypto';
import { SimulatedClock } from '../../../handset';
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
  close(): Promise<void>;
}

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
    close,
  };
}
