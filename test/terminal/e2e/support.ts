/**
 * The end-to-end suites drive the composed terminal (createTerminal) only through its
 * contract, as a transport does: every call goes through dispatchApiCall and every sale is
 * followed on the `checkout.state` events the screens receive.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Terminal } from '../../../main/terminal';
import { dispatchApiCall } from '../../../main/terminal/api/dispatch';
import type {
  ApiError,
  ApiMethodName,
  ApiParams,
  ApiResult,
  CheckoutState,
  CheckoutView,
} from '../../../preload/contract';

const FINAL: readonly CheckoutState[] = ['approved', 'declined', 'torn', 'cancelled'];

export interface Driven {
  /** The method's result; fails the test with the error the transport would have sent. */
  call<M extends ApiMethodName>(method: M, params?: ApiParams<M>): Promise<ApiResult<M>>;
  /** The typed error the transport would have sent; fails the test when the call succeeds. */
  refusal<M extends ApiMethodName>(method: M, params?: ApiParams<M>): Promise<ApiError>;
  /** Rings up `amount`, runs `tap` (the customer's move) and resolves with the sale's outcome. */
  sell(amount: number, tap: () => Promise<unknown>): Promise<CheckoutView>;
  /** The next of `states` this sale reaches after `seen` events of it were already taken. */
  until(saleId: string, states: readonly CheckoutState[], seen?: number): Promise<CheckoutView>;
  /** Every `checkout.state` event published so far for `saleId`. */
  history(saleId: string): readonly CheckoutView[];
  /** Internal errors the dispatcher logged (none expected). */
  readonly internalErrors: unknown[];
}

export function drive(terminal: Terminal, timeoutMs = 15_000): Driven {
  const internalErrors: unknown[] = [];
  const views: CheckoutView[] = [];
  const waiters = new Set<() => void>();
  terminal.events.subscribe((name, payload) => {
    if (name !== 'checkout.state') return;
    views.push(payload as CheckoutView);
    for (const wake of [...waiters]) wake();
  });

  const outcome = (method: string, params: unknown) =>
    dispatchApiCall(terminal.handlers, method, params, (error) => internalErrors.push(error));

  const driven: Driven = {
    internalErrors,
    async call(method, params) {
      const answer = await outcome(method, params);
      if (!answer.ok) {
        throw new Error(`${method} failed: ${JSON.stringify(answer.error)}`);
      }
      return answer.result as ApiResult<typeof method>;
    },
    async refusal(method, params) {
      const answer = await outcome(method, params);
      if (answer.ok) throw new Error(`${method} succeeded: ${JSON.stringify(answer.result)}`);
      return answer.error;
    },
    history: (saleId) => views.filter((v) => v.saleId === saleId),
    until(saleId, states, seen = 0) {
      const found = () =>
        driven
          .history(saleId)
          .slice(seen)
          .find((v) => states.includes(v.state));
      return new Promise((resolve, reject) => {
        const check = () => {
          const view = found();
          if (view === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(view);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const last = driven.history(saleId).at(-1)?.state ?? 'no event';
          reject(new Error(`sale ${saleId} never reached ${states.join('/')} (last: ${last})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async sell(amount, tap) {
      const started = await driven.call('checkout.start', { amount });
      expect(started.state).toBe('awaiting_tap');
      await tap();
      return driven.until(started.saleId, FINAL);
    },
  };
  return driven;
}

const dirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tapsafe-e2e-${prefix}-`));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A skip, on the console and in the one line `npm test` prints (scripts/test.sh). */
export function logSkip(what: string, why: string): void {
  console.warn(`${what} skipped: ${why}`);
  const log = process.env.TAPSAFE_SKIP_LOG;
  if (log !== undefined && log !== '') appendFileSync(log, `${what} (${why})\n`);
}
