/**
 * The demo's own operator: what a platform operator does at the counter (register a user,
 * report a phone lost, top up, release due holds, issue an enrollment code), through the
 * platform's real HTTP API with an operator token that never leaves this object.
 */
import { TerminalError } from '../terminal/errors';

type Method = 'GET' | 'POST';

export interface DemoOperator {
  call<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/** A platform refusal or an unreachable platform, as the demo's one error type. */
export function operatorClient(baseUrl: string, token: string): DemoOperator {
  return {
    async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(new URL(path, baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new TerminalError(
          'platform_unreachable',
          `the demo platform did not answer (${(error as Error).message})`,
        );
      }
      const parsed: unknown = await response.json().catch(() => undefined);
      if (response.ok) return parsed as T;
      const refusal = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)
        ?.error;
      const platformCode = typeof refusal?.code === 'string' ? refusal.code : 'unknown';
      const message = typeof refusal?.message === 'string' ? refusal.message : response.statusText;
      throw new TerminalError('platform_refused', `the platform refused: ${message}`, {
        platformCode,
        status: response.status,
      });
    },
  };
}
