/**
 * The embedded platform as the terminal and the phones reach it: a TCP relay on 127.0.0.1
 * in front of the platform's own port, which the demo panel can take offline. Offline, every
 * open connection is cut and every new one is closed at once, so the terminal's real
 * platform client meets a real network failure (no flag inside the terminal). The demo's own
 * operator calls go to the platform directly: the back office is not the terminal's network.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface PlatformGate {
  /** The address the terminal is enrolled against and the phones sync with. */
  readonly url: string;
  readonly online: boolean;
  setOnline(online: boolean): void;
  close(): Promise<void>;
}

export async function openPlatformGate(targetUrl: string, port: number): Promise<PlatformGate> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let online = true;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    if (!online) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the gate has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get online() {
      return online;
    },
    setOnline(next) {
      online = next;
      if (!next) for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
