/**
 * A minimal terminal-side contactless reader over nfc-pcsc (PC/SC), enough to talk to a
 * wallet through the real pcscd: card arrival with the SELECT answer, APDU exchange with
 * 61xx / 6Cxx chaining, removal, and recovery after pcscd restarts. The full reader
 * service of the terminal comes later; this is an honest adapter, not a model of one.
 *
 * nfc-pcsc facts this relies on (ENVIRONMENT.md):
 * - every reader needs `aid` and an `error` listener, or the process crashes;
 * - auto-processing SELECTs the AID into a 40-byte buffer and turns any SW but 9000 into an
 *   error with no `card` event; so it is off, and the adapter SELECTs itself (whole answer,
 *   chained), announcing the card whatever the status word (another applet: 6A82);
 * - `transmit` needs a buffer as large as the largest answer (65,536 + SW1 SW2);
 * - after a pcscd restart the NFC object never recovers: it must be closed and a new one
 *   created, but only once pcscd accepts connections again (before, it spins at 100% CPU).
 *
 * A card that leaves before answering that SELECT raises no `card` event; one whose SELECT
 * fails otherwise raises a `fault` for its reader.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NFC, Reader } from 'nfc-pcsc';
import {
  AID_HEX,
  encodeCommandApdu,
  INS,
  MAX_SHORT_LE,
  transceiveAll,
  type ResponseApdu,
} from '../../../../protocol';
import { isCardGone, PcscReaderError } from './errors';
import { PCSC_INSTALL_HINT, pcscStack, type NfcPcscModule, type PcscStack } from './load';
import { PCSCD_SOCKET, waitForPcscd } from './pcscd-socket';

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/** The largest short or extended answer: 65,536 data bytes + SW1 SW2. */
export const RESPONSE_BUFFER_SIZE = 65_538;

export interface CardArrival {
  readonly reader: string;
  readonly atr: Uint8Array;
  /** The answer to the SELECT of the AID made on arrival, whatever its status word. */
  readonly select: ResponseApdu;
  /** `select.data`: the FCI when `select.sw` is 9000. */
  readonly selectData: Uint8Array;
}

export interface NfcReaderEvents {
  reader: [{ readonly name: string }];
  /** The reader was unplugged (not emitted when pcscd goes away: see `recovering`). */
  'reader-removed': [{ readonly name: string }];
  card: [CardArrival];
  'card-removed': [{ readonly reader: string }];
  /** pcscd went away: the NFC object was dropped and a new one waits for pcscd. */
  recovering: [{ readonly reason: string }];
  /** A (new) NFC object is connected to pcscd. */
  ready: [];
  /** Not "error": an unheard "error" would throw. A reader or SELECT problem, reported. */
  fault: [{ readonly reader: string | undefined; readonly error: Error }];
}

export interface NfcReaderOptions {
  /** Hex AID nfc-pcsc SELECTs on arrival; default: the Tapsafe wallet. */
  aid?: string;
  /** Only readers whose name passes are used (e.g. one vpcd slot). */
  acceptReader?: (name: string) => boolean;
  socketPath?: string;
  /** How long start() waits for pcscd. */
  startTimeoutMs?: number;
  /**
   * When pcscd is not up by startTimeoutMs, start() resolves anyway (after `recovering`) and
   * the adapter keeps waiting for it in the background, `ready` once it came. Default false:
   * start() rejects with pcscd_unavailable.
   */
  waitInBackground?: boolean;
  /** The nfc-pcsc stack to use; the process's lazily loaded one by default (tests inject). */
  stack?: PcscStack;
}

export class NfcPcscReader extends EventEmitter<NfcReaderEvents> {
  private nfcPcsc: NfcPcscModule | undefined;
  private nfc: NFC | undefined;
  private readonly readers = new Map<string, Reader>();
  /** Bumped at each arrival and removal per reader: a SELECT answer is for one arrival. */
  private readonly arrivals = new Map<string, number>();
  private recovery: Promise<void> | undefined;
  private readonly closing = new AbortController();
  private readonly aid: string;
  private readonly acceptReader: (name: string) => boolean;
  private readonly socketPath: string;

  constructor(private readonly options: NfcReaderOptions = {}) {
    super();
    this.aid = options.aid ?? AID_HEX;
    this.acceptReader = options.acceptReader ?? (() => true);
    this.socketPath = options.socketPath ?? PCSCD_SOCKET;
  }

  /**
   * Loads nfc-pcsc (rejects with pcsc_unavailable where it is not installed or not built),
   * waits for pcscd, then listens for readers and cards.
   */
  async start(): Promise<void> {
    const stack = this.options.stack ?? pcscStack();
    if (!stack.available) {
      throw new PcscReaderError('pcsc_unavailable', `${stack.reason}. ${PCSC_INSTALL_HINT}`);
    }
    this.nfcPcsc = stack.nfcPcsc;
    try {
      await waitForPcscd({
        path: this.socketPath,
        timeoutMs: this.options.startTimeoutMs ?? 10_000,
        signal: this.closing.signal,
      });
    } catch (error) {
      const down = error instanceof PcscReaderError && error.code === 'pcscd_unavailable';
      if (!down || this.options.waitInBackground !== true) throw error;
      void this.recover(`pcscd is not running (${this.socketPath} accepts no connection)`);
      return;
    }
    this.create();
  }

  /** Names of readers that hold a connected card now. */
  get cards(): string[] {
    return [...this.readers.values()].filter((r) => r.card && r.connection).map((r) => r.name);
  }

  /** One command APDU → one response APDU, on `readerName` or the only reader with a card. */
  async transmit(command: Uint8Array, readerName?: string): Promise<Uint8Array> {
    const reader = this.readerWithCard(readerName);
    let response: Buffer;
    try {
      response = await reader.transmit(Buffer.from(command), RESPONSE_BUFFER_SIZE);
    } catch (error) {
      // pcscd reports a card that left mid-exchange at once; card.off comes ~100 ms later.
      const code = isCardGone(error) || !reader.card ? 'card_removed' : 'transmit_failed';
      throw new PcscReaderError(code, `${reader.name}: ${asError(error).message}`, {
        cause: error,
      });
    }
    // vpcd reports a card that closed its socket mid-exchange as success with no bytes;
    // an answer without SW1 SW2 is no answer, whatever the reader, so treat it as a removal.
    if (response.length < 2) {
      throw new PcscReaderError('card_removed', `${reader.name}: no status word in the answer`);
    }
    return new Uint8Array(response);
  }

  /** Like transmit, following 61xx (GET RESPONSE) and 6Cxx: the whole answer. */
  send(command: Uint8Array, readerName?: string): Promise<ResponseApdu> {
    return transceiveAll((c) => this.transmit(c, readerName), command);
  }

  /**
   * A cold reset: powers the card down and up again (pcscd → vpcd 00, 01). The card starts
   * a new session, so the caller SELECTs again.
   */
  async powerCycle(readerName?: string): Promise<void> {
    const reader = this.readerWithCard(readerName);
    const pcsc = reader.reader;
    await new Promise<void>((resolve, reject) => {
      pcsc.disconnect(pcsc.SCARD_UNPOWER_CARD, (error) => (error ? reject(error) : resolve()));
    });
    reader.connection = null;
    await reader.connect();
  }

  /** Drops the NFC object; no recovery follows. */
  close(): void {
    this.closing.abort();
    this.drop();
  }

  private readerWithCard(name: string | undefined): Reader {
    if (this.closing.signal.aborted) throw new PcscReaderError('closed', 'the reader is closed');
    const candidates = [...this.readers.values()].filter(
      (r) => r.card && r.connection && (name === undefined || r.name === name),
    );
    const reader = candidates[0];
    if (!reader) throw new PcscReaderError('no_card', name ?? 'no reader holds a card');
    if (candidates.length > 1) {
      throw new PcscReaderError('no_card', `cards on ${candidates.length} readers; name one`);
    }
    return reader;
  }

  private create(): void {
    if (this.closing.signal.aborted || this.nfcPcsc === undefined) return;
    const nfc = new this.nfcPcsc.NFC();
    this.nfc = nfc;
    nfc.on('reader', (reader) => this.attach(nfc, reader));
    nfc.on('error', (error) => {
      if (this.nfc !== nfc) return; // our own close() cancels its pending calls
      this.emit('fault', { reader: undefined, error });
      void this.recover(error.message);
    });
    this.emit('ready');
  }

  private attach(nfc: NFC, reader: Reader): void {
    // Set before anything else: without aid and an error listener nfc-pcsc crashes us.
    reader.aid = this.aid;
    reader.autoProcessing = false;
    reader.on('error', (error) => {
      if (this.nfc === nfc) this.emit('fault', { reader: reader.name, error });
    });
    if (!this.acceptReader(reader.name)) return;
    this.readers.set(reader.name, reader);
    reader.on('card', (card) => {
      if (this.nfc === nfc) void this.selectOnArrival(nfc, reader, new Uint8Array(card.atr ?? []));
    });
    reader.on('card.off', () => {
      if (this.nfc !== nfc) return;
      this.bump(reader.name);
      this.emit('card-removed', { reader: reader.name });
    });
    reader.on('end', () => {
      if (this.readers.get(reader.name) !== reader) return;
      this.readers.delete(reader.name);
      this.bump(reader.name);
      if (this.nfc === nfc) this.emit('reader-removed', { name: reader.name });
    });
    this.emit('reader', { name: reader.name });
  }

  private bump(readerName: string): number {
    const arrival = (this.arrivals.get(readerName) ?? 0) + 1;
    this.arrivals.set(readerName, arrival);
    return arrival;
  }

  /** What nfc-pcsc's auto-processing would do, but keeping any answer and all of it. */
  private async selectOnArrival(nfc: NFC, reader: Reader, atr: Uint8Array): Promise<void> {
    const arrival = this.bump(reader.name);
    const current = (): boolean => this.nfc === nfc && this.arrivals.get(reader.name) === arrival;
    const select = encodeCommandApdu({
      cla: 0x00,
      ins: INS.select,
      p1: 0x04,
      p2: 0x00,
      data: Buffer.from(this.aid, 'hex'),
      le: MAX_SHORT_LE,
    });
    try {
      const answer = await this.send(select, reader.name);
      if (current()) {
        this.emit('card', { reader: reader.name, atr, select: answer, selectData: answer.data });
      }
    } catch (error) {
      // A card that left before answering never arrived; card.off follows (or came).
      const left = error instanceof PcscReaderError && error.code === 'card_removed';
      if (current() && !left) this.emit('fault', { reader: reader.name, error: asError(error) });
    }
  }

  /** pcscd went away: drop this NFC object, wait for pcscd, start a new one. */
  private recover(reason: string): Promise<void> {
    if (this.recovery) return this.recovery;
    this.drop();
    this.emit('recovering', { reason });
    this.recovery = (async () => {
      while (!this.closing.signal.aborted) {
        try {
          // No deadline: a terminal waits for its reader stack as long as it runs.
          await waitForPcscd({
            path: this.socketPath,
            timeoutMs: Number.POSITIVE_INFINITY,
            pollMs: 200,
            signal: this.closing.signal,
          });
          this.create();
          return;
        } catch (error) {
          if (this.closing.signal.aborted) return;
          // pcscd died again between the socket check and the new NFC object: wait, retry.
          this.emit('fault', { reader: undefined, error: asError(error) });
          await sleep(1_000);
        }
      }
    })().finally(() => {
      this.recovery = undefined;
    });
    return this.recovery;
  }

  private drop(): void {
    const nfc = this.nfc;
    this.nfc = undefined;
    this.readers.clear();
    try {
      nfc?.close();
    } catch (error) {
      this.emit('fault', { reader: undefined, error: asError(error) });
    }
  }
}
