/**
 * A card that stands between the terminal and a demo phone (or stands alone, for a card
 * that is no wallet at all) and rewrites what goes back: the terminal's own checkout then
 * decides what to make of it, exactly as it would with a tampered phone on a real reader.
 *
 * The phone may split a long answer with 61xx; the forged card fetches it whole with GET
 * RESPONSE, tampers with the whole answer, and splits it again for the terminal, so a
 * forgery never depends on where the chunks happen to fall.
 */
import {
  CLA_ISO,
  encodeResponse,
  getResponseCommand,
  INS,
  MAX_EXCHANGES,
  MAX_SHORT_LE,
  parseCommandApdu,
  parseResponse,
  ResponseChunker,
  SW,
  type CommandApdu,
  type ResponseApdu,
} from '../../../protocol';
import type { Card } from '../../../handset';

/** One command of the terminal, already parsed, and how to ask the genuine card(s). */
export interface Intercepted {
  readonly command: CommandApdu;
  readonly raw: Uint8Array;
  /** The genuine phone's whole answer to `raw` (to another command when given). */
  forward(raw?: Uint8Array): ResponseApdu;
}

/** What the forgery answers instead; `forward()` for commands it leaves alone. */
export type Tamper = (intercepted: Intercepted) => ResponseApdu;

export class ForgedCard implements Card {
  private readonly chunker = new ResponseChunker();

  constructor(
    private readonly tamper: Tamper,
    /** The genuine phone behind the forgery; none for a card that is no wallet. */
    private readonly genuine?: Card,
    /** Called when the card leaves the field (a second phone the forgery borrowed). */
    private readonly onRemove?: () => void,
  ) {}

  get powered(): boolean {
    return this.genuine?.powered ?? true;
  }

  present(): void {
    this.chunker.reset();
    this.genuine?.present();
  }

  remove(): void {
    this.chunker.reset();
    this.genuine?.remove();
    this.onRemove?.();
  }

  processApdu(raw: Uint8Array): Uint8Array {
    let command: CommandApdu;
    try {
      command = parseCommandApdu(raw);
    } catch {
      return encodeResponse(new Uint8Array(0), SW.wrong_length);
    }
    if (command.cla === CLA_ISO && command.ins === INS.getResponse) {
      return this.chunker.getResponse(command.le ?? MAX_SHORT_LE);
    }
    const genuine = this.genuine;
    const answer = this.tamper({
      command,
      raw,
      forward: (other = raw) =>
        genuine === undefined
          ? { data: new Uint8Array(0), sw: SW.unknown_instruction }
          : wholeAnswer(genuine, other),
    });
    return this.chunker.respond(command, answer.data, answer.sw);
  }
}

/** A card's whole answer to `raw`, following 61xx with GET RESPONSE (as transceiveAll does). */
export function wholeAnswer(card: Card, raw: Uint8Array): ResponseApdu {
  const parts: Uint8Array[] = [];
  let next = raw;
  for (let exchange = 0; exchange < MAX_EXCHANGES; exchange++) {
    const answer = parseResponse(card.processApdu(next));
    parts.push(answer.data);
    if (answer.sw >> 8 !== SW.more_data >> 8) {
      return { data: new Uint8Array(Buffer.concat(parts)), sw: answer.sw };
    }
    next = getResponseCommand(answer.sw & 0xff || MAX_SHORT_LE);
  }
  return { data: new Uint8Array(0), sw: SW.internal_error };
}
