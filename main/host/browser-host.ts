// The browser host: when no Electron binary is available, the same terminal services are served
// to an ordinary browser. A plain HTTP server on 127.0.0.1 serves the built renderer with the
// strict security headers, and a WebSocket on /rpc mounts the same handler table as Electron's
// IPC. Only a page holding the per-launch token (given in the printed URL) can call it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { MAX_RPC_FRAME_BYTES, type ApiEvents } from '../../preload/contract';
import type { Handlers } from '../terminal/api/dispatch';
import { securityHeaders } from '../terminal/content-security-policy';
import type { EventBus } from '../terminal/events';
import { refuseUpgrade, serveRpcConnection } from './rpc-socket';
import { assertRendererBuilt, findStaticFile } from './static-files';

export interface BrowserHostOptions {
  /** The built renderer, normally <project>/out/renderer. */
  readonly rendererDir: string;
  /** The terminal's handler table and event bus (createTerminal): the host only carries them. */
  readonly handlers: Handlers;
  readonly events: EventBus<ApiEvents>;
  /** 0 picks any free port. */
  readonly port?: number;
  readonly logError?: (error: unknown) => void;
}

export interface BrowserHost {
  /** The address to open, token included, e.g. http://127.0.0.1:PORT/#token=… */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** TAPSAFE_PORT, or 0 (any free port). Rejects anything that is not a port number. */
export function portFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['TAPSAFE_PORT']?.trim();
  if (text === undefined || text === '') return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`TAPSAFE_PORT must be a port number from 0 to 65535, not "${text}"`);
  }
  return port;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  await assertRendererBuilt(options.rendererDir);
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const token = randomBytes(32).toString('base64url');
  const { handlers, events } = options;
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();

  const server = createServer((request, response) => {
    handleHttp(request, response, options.rendererDir, allowedHosts).catch((error: unknown) => {
      logError(error);
      if (!response.headersSent) respond(response, 500, 'internal error');
      else response.destroy();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_FRAME_BYTES });
  sockets.on('connection', (socket) => serveRpcConnection(socket, { handlers, events, logError }));
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    socket.on('error', logError);
    const refusal = hostIsOurs(request, allowedHosts)
      ? refuseUpgrade(request, { token, allowedOrigins })
      : 'host not allowed';
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const port = await listen(server, options.port ?? 0);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    allowedHosts.add(host);
    allowedOrigins.add(`http://${host}`);
  }

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () => closeAll(server, sockets),
  };
}

async function handleHttp(
  request: IncomingMessage,
  response: ServerResponse,
  rendererDir: string,
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  // A foreign Host header means DNS rebinding (evil.example resolving to 127.0.0.1).
  if (!hostIsOurs(request, allowedHosts)) return respond(response, 403, 'forbidden');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return respond(response, 405, 'method not allowed');
  }
  const file = await findStaticFile(rendererDir, request.url ?? '/');
  if (file === undefined) return respond(response, 404, 'not found');
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

function hostIsOurs(request: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  return allowedHosts.has(request.headers.host ?? '');
}

function respond(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    // 127.0.0.1 only: the terminal's API must never be reachable from the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function closeAll(
  server: ReturnType<typeof createServer>,
  sockets: WebSocketServer,
): Promise<void> {
  for (const client of sockets.clients) client.terminate();
  return new Promise((resolveClosed) => {
    sockets.close(() => {
      server.close(() => resolveClosed());
      server.closeAllConnections();
    });
  });
}
