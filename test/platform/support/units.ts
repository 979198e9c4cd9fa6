/** Helpers shared by the lost / migration / terminals tests. */
import type { InjectOptions } from 'fastify';
import { createOperatorToken } from '../../../platform/auth/operator-tokens';
import type { TestPlatform } from './platform';
import type { TerminalFixture, WalletFixture } from './fixtures';
import { signed } from './requests';

export interface Callers {
  operator(method: 'GET' | 'POST', url: string, body?: unknown): InjectOptions;
  terminal(t: TerminalFixture, method: 'GET' | 'POST', url: string, body?: unknown): InjectOptions;
  wallet(w: WalletFixture, method: 'GET' | 'POST', url: string, body?: unknown): InjectOptions;
  anonymous(method: 'GET' | 'POST', url: string, body?: unknown): InjectOptions;
}

export async function callers(platform: TestPlatform): Promise<Callers> {
  const { token } = await createOperatorToken(platform.db, {
    label: 'test operator',
    at: platform.clock.now(),
  });
  const plain = (method: 'GET' | 'POST', url: string, body?: unknown, headers = {}) => ({
    method,
    url,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return {
    operator: (method, url, body) => plain(method, url, body, { authorization: `Bearer ${token}` }),
    anonymous: (method, url, body) => plain(method, url, body),
    terminal: (t, method, url, body) =>
      signed({
        kind: 'terminal',
        callerId: t.terminalId,
        key: t.key,
        method,
        url,
        body,
        time: platform.clock.now(),
      }),
    wallet: (w, method, url, body) =>
      signed({
        kind: 'wallet',
        callerId: w.walletIdHex,
        key: w.key,
        method,
        url,
        body,
        time: platform.clock.now(),
      }),
  };
}
