// Small clients for the browser host tests: raw HTTP (no URL normalisation, so traversal
// attempts reach the server verbatim) and a WebSocket that reports refusals as status codes.
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { readWhole } from '../support/http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends `path` exactly as given; fetch() would resolve "/../x" to "/x" before sending. */
export function rawGet(
  port: number,
  path: string,
  options: { method?: string; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}` },
      },
      (res) =>
        void readWhole(res).then(
          ({ status, headers, body }) => resolve({ status, headers, body: body.toString('utf8') }),
          reject,
        ),
    );
    req.on('error', reject);
    req.end();
  });
}

export type SocketAttempt =
  | { readonly opened: true; readonly socket: MessageSocket }
  | { readonly opened: false; readonly status: number };

export function openSocket(url: string, origin?: string): Promise<SocketAttempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    const messages = new MessageSocket(socket);
    socket.once('open', () => resolve({ opened: true, socket: messages }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Buffers incoming messages so a test can await them one at a time, in order. */
export class MessageSocket {
  private readonly queue: unknown[] = [];
  private readonly waiting: ((message: unknown) => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message: unknown = JSON.parse(data.toString('utf8'));
      const waiter = this.waiting.shift();
      if (waiter === undefined) this.queue.push(message);
      else waiter(message);
    });
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  next(timeoutMs = 5_000): Promise<unknown> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within the timeout')), timeoutMs);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  /** Sends one request and returns the next message (the server answers in order). */
  async call(request: unknown): Promise<unknown> {
    this.send(typeof request === 'string' ? request : JSON.stringify(request));
    return this.next();
  }

  /** Events met while waiting for answers, in order: untilEvent looks here first. */
  readonly events: { event: string; payload: unknown }[] = [];

  /** Sends one request and returns its answer; events arriving meanwhile are kept. */
  async request(
    id: number,
    method: string,
    params?: unknown,
    timeoutMs = 30_000,
  ): Promise<unknown> {
    this.send(JSON.stringify({ id, method, ...(params === undefined ? {} : { params }) }));
    for (;;) {
      const message = (await this.next(timeoutMs)) as {
        id?: unknown;
        event?: string;
        payload?: unknown;
      };
      if (message.id === id) return message;
      if (typeof message.event === 'string')
        this.events.push({ event: message.event, payload: message.payload });
    }
  }

  /** The first event (kept or arriving) for which `matches` holds. */
  async untilEvent(
    matches: (event: string, payload: unknown) => boolean,
    timeoutMs = 30_000,
  ): Promise<unknown> {
    for (;;) {
      const index = this.events.findIndex((e) => matches(e.event, e.payload));
      if (index >= 0) return this.events.splice(index, 1)[0]!.payload;
      const message = (await this.next(timeoutMs)) as { event?: string; payload?: unknown };
      if (typeof message.event === 'string')
        this.events.push({ event: message.event, payload: message.payload });
    }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Waits until the terminal behind a host has started: `npm start` serves its page before the
 * demo world is up, and answers calls `not_ready` until then. Throws if it failed to start.
 */
export async function untilStarted(socket: MessageSocket, id: number): Promise<void> {
  type Readiness = { state: string; message: string | null };
  const answer = (await socket.request(id, 'app.readiness')) as { result?: Readiness };
  let readiness = answer.result;
  if (readiness?.state === 'starting') {
    readiness = (await socket.untilEvent(
      (event, payload) => event === 'app.readiness' && (payload as Readiness).state !== 'starting',
      120_000,
    )) as Readiness;
  }
  if (readiness?.state !== 'ready') {
    throw new Error(`the terminal did not start: ${readiness?.message ?? JSON.stringify(answer)}`);
  }
}
