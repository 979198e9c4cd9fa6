/**
 * The refusals Fastify and Node make before a route is found, in the platform's one error
 * shape, echoing nothing of the request:
 * - frameworkErrors: a path parameter over the router's length limit (414 `path_too_long`)
 *   or a URL that does not decode (400 `bad_url`). The caller is identified first, like on
 *   any route, so an anonymous or unknown caller gets its 401 and nothing else;
 * - clientError: what Node's HTTP parser refuses before Fastify sees a request (431
 *   `headers_too_large`, 408 `request_timeout`, 400 `bad_http`), written to the socket.
 */
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { identify, type AuthContext } from '../auth/authenticate';
import { PlatformError } from '../errors';
import { describeError } from './errors';

const ROUTING_ERRORS: Readonly<Record<string, () => PlatformError>> = {
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new PlatformError(414, 'path_too_long', 'a path segment is longer than any route accepts'),
  FST_ERR_BAD_URL: () => new PlatformError(400, 'bad_url', 'the URL does not decode'),
};

export function frameworkErrorHandler(ctx: AuthContext) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const refusal = ROUTING_ERRORS[error.code];
    const settle = async (): Promise<never> => {
      if (refusal === undefined) throw error;
      await identify(ctx, request);
      throw refusal();
    };
    settle().catch((thrown: unknown) => {
      const { status, body, headers } = describeError(thrown);
      if (status >= 500) request.log.error({ err: thrown }, 'request failed');
      else request.log.info({ code: body.error.code, status }, 'request refused');
      void reply
        .code(status)
        .headers(headers ?? {})
        .send(body);
    });
  };
}

const CLIENT_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request took too long to arrive'],
};

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'bad_http',
    'the request is not valid HTTP',
  ];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
