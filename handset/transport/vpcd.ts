/**
 * The phone as a virtual smart card on the real PC/SC stack: a TCP client of pcscd's
 * vsmartcard-vpcd reader driver (ENVIRONMENT.md). vpcd leads, the card only answers: power
 * off / on / reset get no reply, "send ATR" gets the ATR, an APDU gets one response APDU.
 * pcscd asks for the ATR about every 400 ms, also between APDUs, to know the card is still
 * there, so every poll is answered at once and nothing is ever sent unasked.
 *
 * An open socket is a card in the field; closing it removes the card. When the connection
 * drops without `remove()` (pcscd restarted, reset), the card reconnects with backoff, as a
 * phone held to a reader that was briefly off would be seen again.
 */
import { connect, type Socket } from 'node:net';
import { TypedEmitter } from '../events';
import { checkAtr, type VirtualCard } from './vpcd-card';
import { encodeFrame, FrameDecoder, parseMessage, type VpcdMessage } from './vpcd-frames';
import { VpcdError } from './vpcd-errors';

export { VpcdError, type VpcdErrorCode } from './vpcd-errors';
export { HCE_ATR, virtualCardOf, type VirtualCard } from './vpcd-card';

export const VPCD_DEFAULT_HOST = '127.0.0.1';
/** Reader "Virtual PCD 00 00"; 35964 is "Virtual PCD 00 01". */
export const VPCD_DEFAULT_PORT = 35963;

export type VpcdState =
  | 'removed' // not in the field: no socket, none wanted
  | 'connecting' // wanted in the field; connecting or waiting to retry
  | 'connected' // socket open, the card unpowered
  | 'powered'; // vpcd powered the card: a session is open

export interface VpcdEvents {
  state: { readonly state: VpcdState; readonly previous: VpcdState; readonly reason: string };
  apdu: { readonly command: Uint8Array; readonly response: Uint8Array };
  /** Not named "error": an unheard "error" event would throw, and these must never crash. */
  fault: VpcdError;
}

export interface VpcdOptions {
  host?: string;
  port?: number;
  /** First retry delay after a lost or refused connection; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * How long a removed card stays out before insert() reconnects. vpcd only polls presence
   * (~400 ms): a card back within one poll looks to pcscd as if it never left, and
   * the reader's session with the old one would carry on. Default 500 ms.
   */
  reinsertDelayMs?: number;
}

const SW_INTERNAL_ERROR = Uint8Array.from([0x6f, 0x00]);

const asVpcdError = (error: unknown): VpcdError =>
  error instanceof VpcdError
    ? error
    : new VpcdError('malformed_frame', String(error), { cause: error });

export class VpcdCard extends TypedEmitter<VpcdEvents> {
  readonly host: string;
  readonly port: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly reinsertDelayMs: number;
  private removedAt = Number.NEGATIVE_INFINITY;
  private current: VpcdState = 'removed';
  private socket: Socket | undefined;
  private retry: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private failing = false;

  constructor(
    readonly card: VirtualCard,
    options: VpcdOptions = {},
  ) {
    super();
    checkAtr(card.atr);
    this.host = options.host ?? VPCD_DEFAULT_HOST;
    this.port = options.port ?? VPCD_DEFAULT_PORT;
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 0xffff) {
      throw new VpcdError('bad_options', `port ${String(this.port)}`);
    }
    this.minBackoffMs = options.minBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.reinsertDelayMs = options.reinsertDelayMs ?? 500;
    this.backoffMs = this.minBackoffMs;
  }

  get state(): VpcdState {
    return this.current;
  }

  /** Puts the card in the reader's field: connects, and keeps reconnecting until remove(). */
  insert(): void {
    if (this.current !== 'removed') return;
    this.backoffMs = this.minBackoffMs;
    this.failing = false;
    this.setState('connecting', 'inserted');
    const wait = this.removedAt + this.reinsertDelayMs - performance.now();
    if (wait <= 0) this.open();
    else this.retryIn(wait);
  }

  /** Takes the card out: the socket closes, vpcd reports the card removed. */
  remove(reason = 'removed'): void {
    if (this.current === 'removed') return;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.drop('removed', reason);
    this.removedAt = performance.now();
  }

  private open(): void {
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    const decoder = new FrameDecoder();
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      // Our frames already leave in one write; no-delay keeps a small answer from waiting
      // for vpcd's ACK on the rare occasion two answers queue up.
      socket.setNoDelay(true);
      this.backoffMs = this.minBackoffMs;
      this.failing = false;
      this.setState('connected', 'connected to vpcd');
    });
    socket.on('data', (chunk: Buffer) => {
      for (const payload of decoder.push(chunk)) {
        // A frame handled earlier in this chunk may have removed the card.
        if (this.socket !== socket) return;
        this.handle(socket, payload);
      }
    });
    socket.on('error', (error: Error) => {
      if (this.socket !== socket) return;
      // pcscd down means a refusal at every retry: one fault per outage is enough.
      if (this.failing) return;
      this.failing = true;
      this.fault(
        new VpcdError('connection', `${this.host}:${this.port}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.drop('connecting', 'connection closed');
      this.scheduleReconnect();
    });
  }

  private handle(socket: Socket, payload: Uint8Array): void {
    let message: VpcdMessage;
    try {
      message = parseMessage(payload);
    } catch (error) {
      // vpcd waits for nothing after a message it did not send: report, answer nothing.
      this.fault(asVpcdError(error));
      return;
    }
    switch (message.kind) {
      case 'get-atr':
        socket.write(encodeFrame(this.card.atr));
        return;
      case 'power-on':
        this.powerOn('vpcd power on');
        return;
      case 'power-off':
        this.powerOff('vpcd power off');
        return;
      case 'reset':
        this.resetCard();
        return;
      case 'apdu':
        this.answer(socket, message.command);
        return;
    }
  }

  private answer(socket: Socket, command: Uint8Array): void {
    // vpcd is the authority on power: an APDU means the reader powered the card.
    if (this.current === 'connected') this.powerOn('APDU before power on');
    let response: Uint8Array;
    try {
      response = this.card.processApdu(command);
    } catch (error) {
      this.fault(new VpcdError('card_failed', 'the card threw; removing it', { cause: error }));
      this.remove('the card failed to answer');
      return;
    }
    // The card may have left the field while answering (a torn tap): nothing goes out.
    if (this.socket !== socket) return;
    if (!(response instanceof Uint8Array) || response.length < 2) {
      this.fault(new VpcdError('bad_response', 'an answer needs at least SW1 SW2'));
      response = SW_INTERNAL_ERROR;
    }
    let frame: Buffer;
    try {
      frame = encodeFrame(response);
    } catch (error) {
      this.fault(asVpcdError(error));
      frame = encodeFrame(SW_INTERNAL_ERROR);
    }
    socket.write(frame);
    this.emit('apdu', { command, response });
  }

  private powerOn(reason: string): void {
    if (this.current !== 'connected') return;
    this.setState('powered', reason);
    this.safely(() => this.card.powerOn?.());
  }

  private powerOff(reason: string): void {
    if (this.current !== 'powered') return;
    this.setState('connected', reason);
    this.safely(() => this.card.powerOff?.());
  }

  private resetCard(): void {
    if (this.current !== 'powered') {
      this.powerOn('vpcd reset');
      return;
    }
    if (this.card.reset) this.safely(() => this.card.reset?.());
    else {
      this.safely(() => this.card.powerOff?.());
      this.safely(() => this.card.powerOn?.());
    }
  }

  /** Closes the socket (if any), powers the card down and moves to `next`. */
  private drop(next: 'removed' | 'connecting', reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    const wasPowered = this.current === 'powered';
    this.setState(next, reason);
    if (wasPowered) this.safely(() => this.card.powerOff?.());
  }

  private scheduleReconnect(): void {
    if (this.current === 'removed') return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.retryIn(delay);
  }

  private retryIn(delayMs: number): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.current === 'connecting') this.open();
    }, delayMs);
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (error) {
      this.fault(new VpcdError('card_failed', 'power change failed', { cause: error }));
    }
  }

  private fault(error: VpcdError): void {
    this.emit('fault', error);
  }

  private setState(state: VpcdState, reason: string): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.emit('state', { state, previous, reason });
  }
}
