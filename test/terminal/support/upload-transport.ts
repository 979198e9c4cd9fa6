/**
 * A small terminal-signed upload for tests: POST /v1/settlement/batches with protocol's
 * signRequest, failures as the platform client reports them (TerminalError network /
 * timeout / refused / rate_limited / server_error / bad_response; `details.code` the
 * platform's error code, `details.retryAfterSeconds` from Retry-After). The integrator
 * swaps in the real platform client, which has the same method.
 */
import { signRequest, type SigningKey } from '../../../protocol';
import { TerminalError } from '../../../main/terminal/errors';

export interface UploadTransportOptions {
  baseUrl(): string;
  readonly terminalId: string;
  readonly key: SigningKey;
  readonly clock: { now(): number };
  readonly timeoutMs?: number;
}

const TARGET = '/v1/settlement/batches';

export function signedUpload(options: UploadTransportOptions) {
  return async (envelope: Uint8Array): Promise<Uint8Array> => {
    const headers = signRequest({
      kind: 'terminal',
      callerId: options.terminalId,
      key: options.key,
      method: 'POST',
      target: TARGET,
      time: options.clock.now(),
      body: envelope,
    });
    let response: Response;
    try {
      response = await fetch(new URL(TARGET, options.baseUrl()), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: Buffer.from(envelope),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new TerminalError('timeout', 'the platform did not answer in time');
      }
      throw new TerminalError('network', `the platform cannot be reached (${String(error)})`);
    }
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new TerminalError('network', `the answer was cut off (${String(error)})`);
    }
    if (response.status === 200) {
      if (!response.headers.get('content-type')?.startsWith('application/octet-stream')) {
        throw new TerminalError(
          'bad_response',
          'the platform answered something else than a result',
        );
      }
      return new Uint8Array(body);
    }
    const code = platformCode(body);
    const details = { status: response.status, ...(code === undefined ? {} : { code }) };
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new TerminalError('rate_limited', 'the platform asks to wait', {
        ...details,
        ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
      });
    }
    if (response.status >= 500) {
      throw new TerminalError('server_error', `the platform failed (${response.status})`, details);
    }
    throw new TerminalError(
      'refused',
      `the platform refused the batch: ${code ?? response.status}`,
      details,
    );
  };
}

function platformCode(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
