/**
 * The push client (platform-client/push.ts) against a stand-in socket server that goes away
 * and comes back on the same port: one `disconnected` per lost socket, however many
 * reconnects fail meanwhile; rate-limited `retrying`; `connected` once it is back, and a
 * notice pushed then is applied once.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { HttpPlatformLink, PushClient, type PushEvents } from '../../handset';
import { eventually } from '../scenarios/support/rig';
import { activatedRig, removeTempDirs, type Rig } from './support/setup';

const disposals: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const dispose of disposals.splice(0).reverse()) await dispose();
  removeTempDirs();
});

/** A socket server on `port` (0: any) that keeps the sockets it accepted and the acks. */
async function socketServer(port = 0) {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const sockets: WebSocket[] = [];
  const acks: number[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; sequence: number };
      if (frame.type === 'ack') acks.push(frame.sequence);
    });
  });
  let stopped: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    acks,
    /** Gone without a close frame, as when the platform is killed; later connects are refused. */
    kill: () =>
      (stopped ??= new Promise<void>((resolve) => {
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      })),
  };
}

/** Every event of `push`, in order, by name (payloads of `retrying` kept). */
function record(push: PushClient) {
  const events: string[] = [];
  const retries: PushEvents['retrying'][] = [];
  let problems = 0;
  push.on('connected', () => events.push('connected'));
  push.on('disconnected', ({ reason }) => events.push(`disconnected: ${reason}`));
  push.on('retrying', (event) => {
    events.push('retrying');
    retries.push(event);
  });
  push.on('problem', () => (problems += 1));
  return { events, retries, problems: () => problems };
}

function pushClientFor(rig: Rig, port: number, options: { retryNoticeMs?: number } = {}) {
  const link = new HttpPlatformLink({ baseUrl: `http://127.0.0.1:${port}` }).attach(
    rig.phone.wallet,
  );
  const push = new PushClient({
    phone: rig.phone,
    link,
    backoffMs: 20,
    maxBackoffMs: 40,
    pullIntervalMs: 0,
    ...options,
  });
  disposals.push(() => push.stop());
  return push;
}

describe('PushClient while the platform is down', () => {
  it('emits disconnected once for many failed reconnects, then connected when it is back', async () => {
    const rig = await activatedRig();
    disposals.push(() => rig.phone.close());
    let server = await socketServer();
    disposals.push(() => server.kill());
    const port = server.port;
    const push = pushClientFor(rig, port);
    const seen = record(push);
    push.start();
    await push.waitConnected();

    await server.kill();
    await eventually(() => seen.events.includes('disconnected: closed'));
    // Every failed attempt is a `problem` (ECONNREFUSED); wait for several of them.
    const problems = seen.problems();
    await eventually(() => seen.problems() >= problems + 5);
    expect(push.connected).toBe(false);
    // Within a minute of the drop: no `retrying` yet (rate-limited), and one `disconnected`.
    expect(seen.events).toEqual(['connected', 'disconnected: closed']);

    server = await socketServer(port);
    await push.waitConnected();
    expect(seen.events).toEqual(['connected', 'disconnected: closed', 'connected']);

    // A notice pushed on the new socket: applied once and acknowledged; sent again, a replay.
    const walletId = rig.phone.wallet.walletId as Uint8Array;
    const notice = Buffer.from(rig.platform.notice(walletId, 'top_up', { amount: 500 }));
    const frame = JSON.stringify({
      type: 'notifications',
      notifications: [notice.toString('hex')],
    });
    await eventually(() => server.sockets.length === 1);
    server.sockets[0]?.send(frame);
    await eventually(() => server.acks.length === 1);
    server.sockets[0]?.send(frame);
    await eventually(() => server.acks.length === 2);
    expect(server.acks).toEqual([1, 1]);
    expect(rig.phone.snapshot().wallet).toMatchObject({
      balance: rig.platform.policy.initialBalance + 500,
      lastSequence: 1,
    });

    // Lost again: one more `disconnected`, and stop() after it adds none.
    await server.kill();
    await eventually(() => seen.events.length === 4);
    push.stop();
    expect(seen.events).toEqual([
      'connected',
      'disconnected: closed',
      'connected',
      'disconnected: closed',
    ]);
  });

  it('reports failed attempts as retrying, rate-limited, also when it never connected', async () => {
    const rig = await activatedRig();
    disposals.push(() => rig.phone.close());
    const gone = await socketServer();
    await gone.kill(); // a port nobody listens on (now)
    const push = pushClientFor(rig, gone.port, { retryNoticeMs: 300 });
    const seen = record(push);
    const started = Date.now();
    push.start();
    await eventually(() => seen.retries.length >= 3);
    const elapsed = Date.now() - started;
    push.stop();

    // Never connected: nothing to announce as disconnected, only retries.
    expect(new Set(seen.events)).toEqual(new Set(['retrying']));
    expect(seen.retries[0]).toMatchObject({ attempts: 1 });
    // Far fewer notices than attempts: at most one per 300 ms, plus the first.
    const attempts = seen.retries.at(-1)?.attempts ?? 0;
    expect(seen.problems()).toBeGreaterThanOrEqual(attempts);
    expect(seen.retries.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 300));
    expect(attempts).toBeGreaterThan(seen.retries.length);
    const counts = seen.retries.map((r) => r.attempts);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(seen.retries.every((r) => r.nextInMs >= 20 && r.nextInMs <= 40)).toBe(true);
  });
});
