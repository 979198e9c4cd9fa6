/**
 * An HTTP proxy on 127.0.0.1 in front of the platform that can lose answers: with
 * `dropAnswers` > 0 it forwards the request, waits for the platform's whole answer (so the
 * platform has committed) and then cuts the client's connection instead of passing it on.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DropProxy {
  readonly url: string;
  /** How many answers to drop next. */
  dropAnswers: number;
  /** Requests that reached the platform through the proxy. */
  forwarded: number;
  close(): Promise<void>;
}

export async function startDropProxy(target: () => string): Promise<DropProxy> {
  const proxy: { dropAnswers: number; forwarded: number } = { dropAnswers: 0, forwarded: 0 };
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = new URL(incoming.url ?? '/', target());
    const forward = request(
      upstream,
      { method: incoming.method, headers: { ...incoming.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          proxy.forwarded += 1;
          if (proxy.dropAnswers > 0) {
            proxy.dropAnswers -= 1;
            incoming.socket.destroy();
            return;
          }
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(Buffer.concat(chunks));
        });
      },
    );
    forward.on('error', () => incoming.socket.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
