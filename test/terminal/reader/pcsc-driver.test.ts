/**
 * What the private pcscd + vpcd stack cannot show (vpcd's readers are fixed in reader.conf
 * and pcscd is always up there): a reader unplugged mid-exchange and plugged in again,
 * pcscd not running when the terminal starts, and a reader failing the arrival SELECT. The
 * nfc-pcsc module is a scripted stand-in; the pcscd socket is a real Unix socket.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderEvents, ReaderStatusEvent } from '../../../main/terminal/reader/events';
import { PcscReaderDriver } from '../../../main/terminal/reader/pcsc/driver';
import type { NfcPcscModule, PcscStack } from '../../../main/terminal/reader/pcsc/load';
import { ReaderError } from '../../../main/terminal/reader/reader';
import { createReaderService, type ReaderService } from '../../../main/terminal/reader/service';
import { readCertificateCommand, SW } from '../../../protocol';

type Answer = (command: Buffer) => Promise<Buffer>;

/** An nfc-pcsc Reader as the adapter uses it. */
class FakeReader extends EventEmitter {
  aid: unknown = null;
  autoProcessing = true;
  card: { atr: Buffer } | null = null;
  connection: { type: number; protocol: number } | null = null;
  private answer: Answer = () => Promise.reject(new Error('no card'));

  constructor(readonly name: string) {
    super();
  }

  transmit(data: Buffer): Promise<Buffer> {
    return this.answer(data);
  }

  insert(answer: Answer): void {
    this.answer = answer;
    this.card = { atr: Buffer.from([0x3b, 0x80, 0x80, 0x01, 0x01]) };
    this.connection = { type: 2, protocol: 2 };
    this.emit('card', { ...this.card });
  }
}

class FakeNfc extends EventEmitter {
  static made: FakeNfc[] = [];
  constructor() {
    super();
    FakeNfc.made.push(this);
  }
  close(): void {}
}

const stack: PcscStack = {
  available: true,
  nfcPcsc: { NFC: FakeNfc } as unknown as NfcPcscModule,
};
const SELECTED = Buffer.from([0x6f, 0x00, 0x90, 0x00]);
const never: Answer = () => new Promise<Buffer>(() => {});

const cleanups: (() => Promise<void> | void)[] = [];
const published: { event: keyof ReaderEvents; payload: unknown }[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  published.length = 0;
  FakeNfc.made = [];
});

const statuses = (): ReaderStatusEvent[] =>
  published.filter((p) => p.event === 'reader.status').map((p) => p.payload as ReaderStatusEvent);

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapsafe-pcscd-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'pcscd.comm');
}

/** A pcscd socket that accepts connections, as the adapter probes it. */
async function pcscdAt(path: string): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

async function started(path: string): Promise<ReaderService> {
  const service = createReaderService({
    drivers: [new PcscReaderDriver({ stack, socketPath: path, startTimeoutMs: 100 })],
    publish: (event, payload) => published.push({ event, payload }),
  });
  cleanups.push(() => service.close());
  await service.start();
  return service;
}

function plug(name: string): FakeReader {
  const reader = new FakeReader(name);
  const nfc = FakeNfc.made.at(-1);
  if (!nfc) throw new Error('no NFC object was created');
  nfc.emit('reader', reader);
  return reader;
}

describe('the PC/SC driver with a scripted nfc-pcsc', () => {
  it('ends an exchange with reader_gone when its reader is unplugged, and takes it back', async () => {
    const path = socketPath();
    await pcscdAt(path);
    const service = await started(path);
    let reader = plug('ACS ACR122U 00 00');
    expect(reader.autoProcessing).toBe(false);
    expect(service.readers().map((r) => r.name)).toEqual(['ACS ACR122U 00 00']);

    const arrival = service.waitForCard('ACS ACR122U 00 00', AbortSignal.timeout(1_000));
    let selected = false;
    reader.insert((command) => {
      if (selected) return never(command);
      selected = true;
      return Promise.resolve(SELECTED);
    });
    const card = await arrival;
    expect(card.select).toEqual({ data: Uint8Array.of(0x6f, 0x00), sw: SW.ok });

    const pending = card.exchange(readCertificateCommand()).catch((error: unknown) => error);
    reader.emit('end');
    const error = (await pending) as ReaderError;
    expect(error).toBeInstanceOf(ReaderError);
    expect(error.code).toBe('reader_gone');
    expect(service.readers()).toEqual([]);

    reader = plug('ACS ACR122U 00 00');
    const again = service.waitForCard(undefined, AbortSignal.timeout(1_000));
    reader.insert(() => Promise.resolve(SELECTED));
    expect((await again).readerName).toBe('ACS ACR122U 00 00');
  });

  it('starts without pcscd, creates no PC/SC context until its socket answers, then says so', async () => {
    const path = socketPath();
    const service = await started(path);
    expect(service.readers()).toEqual([]);
    expect(statuses().map((s) => s.message)).toEqual([
      expect.stringMatching(/^pcscd is not running; waiting for it/),
    ]);
    // Creating an NFC object while pcscd is down spins the event loop: none may exist yet.
    expect(FakeNfc.made).toHaveLength(0);

    await pcscdAt(path);
    await expect.poll(() => FakeNfc.made.length, { timeout: 3_000 }).toBe(1);
    expect(statuses().at(-1)).toMatchObject({ level: 'info', message: 'PC/SC ready again' });
    plug('Virtual PCD 00 00');
    expect(service.readers().map((r) => r.name)).toEqual(['Virtual PCD 00 00']);
  });

  it('reports a reader whose card fails the SELECT, and announces no card', async () => {
    const path = socketPath();
    await pcscdAt(path);
    const service = await started(path);
    const reader = plug('Broken 00 00');
    const controller = new AbortController();
    const wait = service.waitForCard(undefined, controller.signal).catch((e: unknown) => e);
    reader.insert(() => Promise.reject(new Error('SCardTransmit error: Transaction failed.')));
    await expect
      .poll(() => service.readers()[0]?.lastError)
      .toMatch(/Broken 00 00: .*Transaction failed/);
    expect(statuses().at(-1)).toMatchObject({ level: 'warning', readerName: 'Broken 00 00' });
    controller.abort();
    expect(((await wait) as ReaderError).code).toBe('aborted');
  });
});
