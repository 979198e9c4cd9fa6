/**
 * The terminal's HTTP transport to the platform: JSON or octet-stream bodies over fetch
 * with a timeout, terminal signatures (protocol `signRequest`, kind 'terminal'), and every
 * failure a TerminalError. After a `clock_skew` refusal it retries once with its clock
 * corrected by the offset the platform reported, and keeps that offset for later calls
 * (the platform accepts ±300 s; the terminal's own clock may be wrong).
 */
import { signRequest, type SigningKey } from '../../../protocol';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';

export interface TerminalCredentials {
  readonly terminalId: string;
  readonly key: SigningKey;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly clock: TerminalClock;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

export type Body = { readonly json: unknown } | { readonly bytes: Uint8Array } | undefined;

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly target: string;
  readonly body?: Body;
  /** Signs the request when given. */
  readonly credentials?: TerminalCredentials | undefined;
  /** What a success must carry. */
  readonly expect: 'json' | 'bytes';
}

const SERVER_TIME_HEADER = 'x-tapsafe-server-time';

export class TerminalHttp {
  /** Seconds added to the terminal's clock when signing (learnt from clock_skew answers). */
  private skew = 0;

  constructor(readonly options: HttpOptions) {}

  async call(request: HttpRequest & { expect: 'json' }): Promise<unknown>;
  async call(request: HttpRequest & { expect: 'bytes' }): Promise<Uint8Array>;
  async call(request: HttpRequest): Promise<unknown> {
    try {
      return await this.once(request);
    } catch (error) {
      const serverTime = (error as TerminalError).details?.serverTime;
      if (request.credentials === undefined || typeof serverTime !== 'number') throw error;
      this.skew = serverTime - this.options.clock.now();
      return this.once(request);
    }
  }

  private async once(request: HttpRequest): Promise<unknown> {
    const { method, target, body, credentials } = request;
    const payload: Uint8Array | string | undefined =
      body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.bytes;
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers['content-type'] = 'json' in body ? 'application/json' : 'application/octet-stream';
    }
    if (credentials !== undefined) {
      Object.assign(
        headers,
        signRequest({
          kind: 'terminal',
          callerId: credentials.terminalId,
          key: credentials.key,
          method,
          target,
          time: this.options.clock.now() + this.skew,
          ...(payload === undefined ? {} : { body: payload }),
        }),
      );
    }
    const url = new URL(target, this.options.baseUrl);
    let response: Response;
    let raw: Uint8Array;
    try {
      response = await this.options.fetch(url, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      raw = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new TerminalError(
          'timeout',
          `the platform (${url.origin}) did not answer within ${this.options.timeoutMs} ms`,
          { target },
        );
      }
      throw new TerminalError(
        'network',
        `cannot reach the platform at ${url.origin}: ${(error as Error).message}`,
        { target },
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok) throw failure(response, target, parseJson(raw));
    if (request.expect === 'bytes') {
      if (!type.startsWith('application/octet-stream')) {
        throw badResponse(target, response.status, `expected bytes, got ${type || 'no type'}`);
      }
      return raw;
    }
    const parsed = parseJson(raw);
    if (parsed === undefined) throw badResponse(target, response.status, 'the answer is not JSON');
    return parsed;
  }
}

function parseJson(raw: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function badResponse(target: string, status: number, why: string): TerminalError {
  return new TerminalError(
    'bad_response',
    `the platform's answer to ${target} is unusable: ${why}`,
    {
      target,
      status,
    },
  );
}

function failure(response: Response, target: string, parsed: unknown): TerminalError {
  const error = (parsed as { error?: { code?: unknown; message?: unknown; field?: unknown } })
    ?.error;
  const platformCode = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const status = response.status;
  const retry = Number(response.headers.get('retry-after'));
  const serverTime = Number(response.headers.get(SERVER_TIME_HEADER));
  const details = {
    target,
    status,
    ...(platformCode === undefined ? {} : { platformCode }),
    ...(typeof error?.field === 'string' ? { field: error.field } : {}),
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
    ...(platformCode === 'clock_skew' && Number.isSafeInteger(serverTime) ? { serverTime } : {}),
  };
  if (status === 429) {
    return new TerminalError('rate_limited', `the platform asks to wait: ${message}`, details);
  }
  if (status >= 500) {
    return new TerminalError(
      'server_error',
      `the platform failed (${status}): ${message}`,
      details,
    );
  }
  return new TerminalError(
    'refused',
    `the platform refused (${platformCode ?? status}): ${message}`,
    details,
  );
}
