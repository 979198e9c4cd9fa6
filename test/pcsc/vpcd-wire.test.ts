/**
 * The vpcd wire protocol at the byte level, where the real pcscd cannot be made to
 * misbehave on demand: frames split and coalesced across TCP reads, malformed frames, a
 * dropped connection, a failing card. The peer is a plain TCP server on loopback speaking
 * vpcd's framing; the tests against the real pcscd are the other files here.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeFrame,
  FrameDecoder,
  parseMessage,
  MAX_FRAME_PAYLOAD,
} from '../../handset/transport/vpcd-frames';
import {
  HCE_ATR,
  VpcdCard,
  VpcdError,
  type VirtualCard,
  type VpcdState,
} from '../../handset/transport/vpcd';
import { untilState } from './support/waits';

const frame = (...bytes: number[]): Buffer => encodeFrame(Uint8Array.from(bytes));

describe('FrameDecoder', () => {
  it('reassembles frames split at every byte and coalesced in one read', () => {
    const stream = Buffer.concat([frame(0x04), frame(0x00, 0xa4, 0x04, 0x00), frame(0x01)]);
    const byteByByte = new FrameDecoder();
    const frames = [...stream].flatMap((b) => byteByByte.push(Uint8Array.of(b)));
    expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(['04', '00a40400', '01']);
    expect(byteByByte.pending).toBe(0);
    const coalesced = new FrameDecoder().push(stream);
    expect(coalesced).toEqual(frames);
  });

  it('carries the largest frame, and refuses to encode a larger one', () => {
    const big = new Uint8Array(MAX_FRAME_PAYLOAD).fill(7);
    const decoder = new FrameDecoder();
    const encoded = encodeFrame(big);
    expect(decoder.push(encoded.subarray(0, 1000))).toEqual([]);
    expect(decoder.push(encoded.subarray(1000))).toEqual([big]);
    expect(() => encodeFrame(new Uint8Array(MAX_FRAME_PAYLOAD + 1))).toThrow(VpcdError);
  });

  it('types every message and names the malformed ones', () => {
    expect([0, 1, 2, 4].map((b) => parseMessage(Uint8Array.of(b)).kind)).toEqual([
      'power-off',
      'power-on',
      'reset',
      'get-atr',
    ]);
    expect(parseMessage(Uint8Array.of(0x80, 0xca))).toMatchObject({ kind: 'apdu' });
    expect(() => parseMessage(new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'malformed_frame' }),
    );
    expect(() => parseMessage(Uint8Array.of(3))).toThrow(
      expect.objectContaining({ code: 'unknown_control' }),
    );
  });
});

/** A loopback stand-in for vpcd: accepts the card, collects what it sends, as frames. */
class FakeVpcd {
  readonly server: Server;
  socket: Socket | undefined;
  frames: Uint8Array[] = [];
  connections = 0;
  private decoder = new FrameDecoder();

  constructor() {
    this.server = createServer((socket) => {
      this.connections++;
      this.socket = socket;
      this.decoder = new FrameDecoder();
      socket.on('data', (chunk) => this.frames.push(...this.decoder.push(chunk)));
      socket.on('error', () => undefined);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  /** Sends raw bytes, optionally in pieces with a pause between (separate TCP reads). */
  async send(bytes: Buffer, pieces = 1): Promise<void> {
    const size = Math.ceil(bytes.length / pieces);
    for (let at = 0; at < bytes.length; at += size) {
      this.socket?.write(bytes.subarray(at, at + size));
      if (pieces > 1) await sleep(15);
    }
  }

  async next(count = 1, timeoutMs = 2_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count && Date.now() < deadline) await sleep(5);
    return this.frames.splice(0, count).map((f) => Buffer.from(f).toString('hex'));
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('VpcdCard on the wire', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(card?: Partial<VirtualCard>) {
    const fake = new FakeVpcd();
    const port = await fake.listen();
    const log: string[] = [];
    const echo: VirtualCard = {
      atr: HCE_ATR,
      // Echoes the header with 9000: enough to see which command was answered.
      processApdu: (c) => Uint8Array.from([...c.subarray(0, 4), 0x90, 0x00]),
      powerOn: () => log.push('on'),
      powerOff: () => log.push('off'),
      ...card,
    };
    const vpcd = new VpcdCard(echo, { port, minBackoffMs: 20, maxBackoffMs: 80 });
    const states: VpcdState[] = [];
    const faults: VpcdError[] = [];
    vpcd.on('state', (s) => states.push(s.state));
    vpcd.on('fault', (f) => faults.push(f));
    cleanups.push(
      () => fake.close(),
      () => vpcd.remove(),
    );
    vpcd.insert();
    await untilState(vpcd, 'connected');
    while (fake.socket === undefined) await sleep(5);
    return { fake, vpcd, log, states, faults };
  }

  it('never speaks first, answers the ATR poll and APDUs however TCP cuts them', async () => {
    const { fake, log } = await setup();
    await sleep(50);
    expect(fake.frames).toEqual([]);

    await fake.send(frame(0x04), 2); // the length and the payload in separate reads
    expect(await fake.next()).toEqual(['3b80800101']);
    await fake.send(frame(0x01));
    await fake.send(frame(0x00, 0xa4, 0x04, 0x00, 0x00), 3);
    expect(await fake.next()).toEqual(['00a404009000']);
    // Three messages in one write: three answers, in order (power off gets none).
    await fake.send(Buffer.concat([frame(0x80, 0xca, 0, 1, 0), frame(0x04), frame(0x00)]));
    expect(await fake.next(2)).toEqual(['80ca00019000', '3b80800101']);
    expect(log).toEqual(['on', 'off']);
  });

  it('reports malformed frames as faults, answers nothing for them, and carries on', async () => {
    const { fake, faults } = await setup();
    await fake.send(Buffer.concat([Buffer.of(0, 0), frame(0x03), frame(0x04)]));
    expect(await fake.next()).toEqual(['3b80800101']);
    expect(faults.map((f) => f.code)).toEqual(['malformed_frame', 'unknown_control']);
  });

  it('answers 6F00 for an answer without a status word', async () => {
    const { fake, faults } = await setup({ processApdu: () => Uint8Array.of(0x90) });
    await fake.send(frame(0x80, 0xca, 0, 1, 0));
    expect(await fake.next()).toEqual(['6f00']);
    expect(faults.map((f) => f.code)).toEqual(['bad_response']);
  });

  it('reconnects with backoff when the connection drops, and stays out once removed', async () => {
    const { fake, vpcd, states, log } = await setup();
    await fake.send(frame(0x01));
    await untilState(vpcd, 'powered');
    fake.socket?.destroy();
    await untilState(vpcd, 'connecting');
    await untilState(vpcd, 'connected');
    expect(fake.connections).toBe(2);
    expect(states).toEqual(['connecting', 'connected', 'powered', 'connecting', 'connected']);
    expect(log).toEqual(['on', 'off']);

    vpcd.remove();
    await sleep(200);
    expect(fake.connections).toBe(2);
    expect(vpcd.state).toBe('removed');
  });

  it('removes a card that throws (a phone switched off) instead of answering', async () => {
    const { fake, vpcd, faults } = await setup({
      processApdu: () => {
        throw new Error('the phone is switched off');
      },
    });
    let closed = false;
    fake.socket?.on('close', () => (closed = true));
    await fake.send(frame(0x80, 0xca, 0, 1, 0));
    await untilState(vpcd, 'removed');
    await sleep(20);
    expect(closed).toBe(true);
    expect(fake.frames).toEqual([]);
    expect(faults.map((f) => f.code)).toEqual(['card_failed']);
  });

  it('refuses an ATR that nfc-pcsc would take for a MIFARE tag', () => {
    const mifare = Uint8Array.from([0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c]);
    expect(() => new VpcdCard({ atr: mifare, processApdu: () => mifare })).toThrow(VpcdError);
  });
});
