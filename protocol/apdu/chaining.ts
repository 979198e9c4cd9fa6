/**
 * Answers longer than the command's Le, both directions. Short APDUs expect at most 256
 * bytes, and real contactless readers enforce it, so the applet cuts a longer answer into
 * parts announced with 61xx and fetched with GET RESPONSE (ISO 7816-4 §5.3.4). Virtual
 * readers (vpcd) pass long answers whole; the terminal side accepts either transparently.
 */
import { ProtocolError } from '../errors';
import { encodeCommandApdu, MAX_SHORT_LE, parseCommandApdu, type CommandApdu } from './command';
import { getResponseCommand } from './commands';
import { encodeResponse, parseResponse, type ResponseApdu } from './response';
import { moreDataSw, SW } from './status';

/**
 * Applet side. One per session: `respond` answers any command but GET RESPONSE (and drops
 * whatever a previous answer left pending, as ISO requires); `getResponse` serves the rest.
 */
export class ResponseChunker {
  private rest: Uint8Array = new Uint8Array(0);
  private finalSw: number = SW.ok;

  /** True while part of an answer waits for GET RESPONSE. */
  get pending(): boolean {
    return this.rest.length > 0;
  }

  reset(): void {
    this.rest = new Uint8Array(0);
    this.finalSw = SW.ok;
  }

  /**
   * The response APDU for `command`: whole when it fits the command's Le or the command
   * used extended length (the reader then carries anything), else the first Le bytes with
   * 61xx. A short command without Le is held to 256, the most any short exchange carries.
   */
  respond(command: CommandApdu | undefined, data: Uint8Array, sw: number = SW.ok): Uint8Array {
    this.reset();
    if (command?.extended === true) return encodeResponse(data, sw);
    return this.serve(data, sw, command?.le ?? MAX_SHORT_LE);
  }

  /** Answer to GET RESPONSE with Ne = `le`: the next part, or 6985 when nothing waits. */
  getResponse(le: number): Uint8Array {
    if (!this.pending) return encodeResponse(new Uint8Array(0), SW.conditions_not_satisfied);
    const { rest, finalSw } = this;
    this.reset();
    return this.serve(rest, finalSw, le);
  }

  private serve(data: Uint8Array, sw: number, limit: number): Uint8Array {
    if (data.length <= limit) return encodeResponse(data, sw);
    // Copy: the caller may reuse its buffer before the terminal fetches the rest.
    this.rest = new Uint8Array(data.subarray(limit));
    this.finalSw = sw;
    return encodeResponse(data.subarray(0, limit), moreDataSw(this.rest.length));
  }
}

/** What a terminal accepts in one reassembled answer: more than any Tapsafe response. */
export const MAX_CHAINED_RESPONSE = 64 * 1024;
/** 256 full parts of 256 bytes, plus room for 6Cxx retries. */
export const MAX_EXCHANGES = 320;

export interface TransceiveLimits {
  maxBytes?: number;
  maxExchanges?: number;
}

function withLe(command: Uint8Array, le: number): Uint8Array {
  return encodeCommandApdu({ ...parseCommandApdu(command), le });
}

/**
 * Terminal side: sends `command`, follows 61xx with GET RESPONSE and 6Cxx by resending
 * the same command with Le = xx, and returns the reassembled data with the final status
 * word. A card that never finishes is cut off with `bad_apdu`; errors from `transmit`
 * (card removed, reader gone) pass through unchanged so the caller can tell them apart.
 */
export async function transceiveAll(
  transmit: (command: Uint8Array) => Promise<Uint8Array>,
  command: Uint8Array,
  limits: TransceiveLimits = {},
): Promise<ResponseApdu> {
  const maxBytes = limits.maxBytes ?? MAX_CHAINED_RESPONSE;
  const maxExchanges = limits.maxExchanges ?? MAX_EXCHANGES;
  const parts: Uint8Array[] = [];
  let total = 0;
  let next = command;

  for (let exchange = 1; exchange <= maxExchanges; exchange++) {
    const response = parseResponse(await transmit(next));
    const sw1 = response.sw >> 8;
    const xx = response.sw & 0xff;
    const announced = xx === 0 ? MAX_SHORT_LE : xx;
    if (sw1 === SW.wrong_le >> 8) {
      // 6Cxx carries no usable data; ask again for exactly what the card has.
      next = withLe(next, announced);
      continue;
    }
    total += response.data.length;
    if (total > maxBytes) {
      throw new ProtocolError('bad_apdu', 'response', `chained answer exceeds ${maxBytes} bytes`);
    }
    parts.push(response.data);
    if (sw1 === SW.more_data >> 8) {
      next = getResponseCommand(announced);
      continue;
    }
    return { data: new Uint8Array(Buffer.concat(parts, total)), sw: response.sw };
  }
  throw new ProtocolError(
    'bad_apdu',
    'response',
    `no final status word after ${maxExchanges} exchanges`,
  );
}
