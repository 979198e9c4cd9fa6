// The browser host's WebSocket RPC: who may connect (our own origin, the per-launch token) and
// how a connected socket's messages map onto the terminal's handler table.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import {
  MAX_RPC_MESSAGE_BYTES,
  type ApiEventName,
  type ApiEvents,
  type ApiOutcome,
  type RpcEventMessage,
  type RpcResponse,
} from '../../preload/contract';
import type { Handlers } from '../terminal/api/dispatch';
import { dispatchApiCall, failure } from '../terminal/api/dispatch';
import type { EventBus } from '../terminal/events';

export const rpcPath = '/rpc';

/** Same-length digests, so timingSafeEqual can compare tokens of any length in constant time. */
export function tokensMatch(expected: string, offered: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(offered));
}

export interface UpgradeCheck {
  readonly token: string;
  /** Origins our own page can have, e.g. http://127.0.0.1:PORT. */
  readonly allowedOrigins: ReadonlySet<string>;
}

/** Why an upgrade is refused, or undefined when it may proceed. */
export function refuseUpgrade(request: IncomingMessage, check: UpgradeCheck): string | undefined {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== rpcPath) return 'unknown path';
  // Browsers always send Origin on WebSocket handshakes; a page from another site sends its own.
  const origin = request.headers.origin;
  if (origin === undefined || !check.allowedOrigins.has(origin)) return 'origin not allowed';
  const token = url.searchParams.get('token');
  if (token === null || !tokensMatch(check.token, token)) return 'bad token';
  return undefined;
}

export interface RpcConnectionOptions {
  readonly handlers: Handlers;
  readonly events: EventBus<ApiEvents>;
  readonly logError: (error: unknown) => void;
}

/** Serves one authenticated socket until it closes. */
export function serveRpcConnection(socket: WebSocket, options: RpcConnectionOptions): void {
  const send = (message: RpcResponse | RpcEventMessage) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch (error) {
      // A payload JSON cannot encode (a BigInt, a cycle) is a bug to log, not a reason to crash.
      options.logError(error);
    }
  };
  const unsubscribe = options.events.subscribe(
    <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => send({ event, payload }),
  );
  socket.on('close', unsubscribe);
  socket.on('error', options.logError);
  socket.on('message', (data, isBinary) => {
    answer(data, isBinary, options).then(send).catch(options.logError);
  });
}

async function answer(
  data: RawData,
  isBinary: boolean,
  options: RpcConnectionOptions,
): Promise<RpcResponse> {
  if (isBinary) return reply(null, failure('bad_request', 'binary frames are not accepted'));
  const text = rawDataToText(data);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_RPC_MESSAGE_BYTES) {
    return reply(
      null,
      failure('bad_request', `the message is ${size} bytes; at most ${MAX_RPC_MESSAGE_BYTES}`),
    );
  }
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return reply(null, failure('bad_json', 'the message is not valid JSON'));
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return reply(null, failure('bad_request', 'a request is a JSON object'));
  }
  const { id, method, params } = request as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return reply(null, failure('bad_request', 'a request needs an integer id'));
  }
  const outcome = await dispatchApiCall(options.handlers, method, params, options.logError);
  return reply(id, outcome);
}

function reply(id: number | null, outcome: ApiOutcome<unknown>): RpcResponse {
  return { id, ...outcome };
}

function rawDataToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
