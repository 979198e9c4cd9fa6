/** Signed requests for app.inject, as a handset or terminal would send them. */
import type { InjectOptions } from 'fastify';
import type { SigningKey } from '../../../protocol';
import { signRequest, type RequestSignerKind } from '../../../protocol';

export interface SignedRequestOptions {
  readonly kind: RequestSignerKind;
  readonly callerId: string;
  readonly key: SigningKey;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  readonly time: number;
  readonly nonce?: Uint8Array;
}

/** inject() options with the body serialised once, so the signed bytes are the sent bytes. */
export function signed(options: SignedRequestOptions): InjectOptions & { payload?: string } {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = signRequest({
    kind: options.kind,
    callerId: options.callerId,
    key: options.key,
    method: options.method,
    target: options.url,
    time: options.time,
    ...(payload === undefined ? {} : { body: payload }),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  return {
    method: options.method,
    url: options.url,
    headers: {
      ...headers,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload }),
  };
}

/** The typed error body of a refused request. */
export function errorOf(response: { json<T>(): T }): {
  code: string;
  message: string;
  field?: string;
} {
  return response.json<{ error: { code: string; message: string; field?: string } }>().error;
}
