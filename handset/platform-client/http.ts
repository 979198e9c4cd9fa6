/**
 * The HTTP transport of the platform client: JSON over fetch with a timeout, optional
 * wallet signatures (protocol/http/request-signing), and every failure turned into a
 * PlatformRequestError. One retry after a `clock_skew` refusal, with the phone's clock
 * corrected by the offset the platform reported (a phone's clock may be wrong; the
 * platform's window is ±300 s).
 */
import type { Clock } from '../clock';
import { PlatformRequestError } from './errors';

export interface RequestSigner {
  /** Headers authenticating the request, or undefined when the wallet cannot sign now. */
  signPlatformRequest(request: {
    method: string;
    target: string;
    body?: string;
    time: number;
  }): Record<string, string> | undefined;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

export class PlatformHttp {
  /** Seconds to add to the phone's clock when signing (learnt from clock_skew answers). */
  private skew = 0;

  constructor(readonly options: HttpOptions) {}

  /** The signing time: the phone's clock, corrected. */
  now(): number {
    return this.options.clock.now() + this.skew;
  }

  async call<T>(
    method: 'GET' | 'POST',
    target: string,
    body: unknown,
    signer?: RequestSigner,
  ): Promise<T> {
    try {
      return await this.once<T>(method, target, body, signer);
    } catch (error) {
      const serverTime = (error as { serverTime?: number }).serverTime;
      if (signer === undefined || serverTime === undefined) throw error;
      this.skew = serverTime - this.options.clock.now();
      return this.once<T>(method, target, body, signer);
    }
  }

  private async once<T>(
    method: 'GET' | 'POST',
    target: string,
    body: unknown,
    signer?: RequestSigner,
  ): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> =
      text === undefined ? {} : { 'content-type': 'application/json' };
    if (signer !== undefined) {
      const signed = signer.signPlatformRequest({
        method,
        target,
        time: this.now(),
        ...(text === undefined ? {} : { body: text }),
      });
      if (signed === undefined) {
        throw new PlatformRequestError('cannot_sign', 'the wallet cannot sign requests now');
      }
      Object.assign(headers, signed);
    }
    const url = new URL(target, this.options.baseUrl);
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method,
        headers,
        ...(text === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new PlatformRequestError(
          'timeout',
          `no answer from ${url.origin} in ${this.options.timeoutMs} ms`,
        );
      }
      throw new PlatformRequestError(
        'network',
        `cannot reach ${url.origin}: ${(error as Error).message}`,
      );
    }
    let parsed: unknown;
    try {
      const raw = await response.text();
      parsed = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      throw new PlatformRequestError('bad_response', `${target}: the answer is not JSON`, {
        status: response.status,
      });
    }
    if (response.ok) return parsed as T;
    throw failure(response, parsed);
  }
}

function failure(response: Response, parsed: unknown): PlatformRequestError {
  const error = (parsed as { error?: { code?: unknown; message?: unknown; field?: unknown } })
    ?.error;
  const platformCode = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const status = response.status;
  const retry = Number(response.headers.get('retry-after'));
  const details = {
    status,
    ...(platformCode === undefined ? {} : { platformCode }),
    ...(typeof error?.field === 'string' ? { field: error.field } : {}),
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
  };
  const code =
    status === 429
      ? 'rate_limited'
      : status === 401
        ? 'unauthenticated'
        : status >= 500
          ? 'server_error'
          : 'refused';
  const result = new PlatformRequestError(
    code,
    `${status} ${platformCode ?? ''}: ${message}`,
    details,
  );
  const serverTime = Number(response.headers.get('x-tapsafe-server-time'));
  if (platformCode === 'clock_skew' && Number.isSafeInteger(serverTime)) {
    Object.assign(result, { serverTime });
  }
  return result;
}
