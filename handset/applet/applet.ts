/**
 * The wallet applet: the payment unit's side of the contactless exchange (支付单元 "talks
 * to the contactless device", claims 6, 20), in the APDUs of protocol/apdu. It turns one
 * command APDU into one response APDU, whatever transport carried it (in-process reader,
 * vpcd, a real HCE service), and never throws: a malformed command gets the status word
 * protocol/apdu's classifier gives it, a command out of order (anything before SELECT) gets
 * 6985, and only a truly unexpected error becomes 6F00 — logged, because it is a bug.
 *
 * A session (from SELECT to the next SELECT, reset or the phone leaving the field) holds the
 * terminal certificate the reader presented: the wallet shows its data and signs only for it.
 */
import {
  AID_VERSION,
  classifyCommandBytes,
  encodeFci,
  encodePaymentLog,
  encodeResponse,
  ResponseChunker,
  SW,
  type CommandApdu,
  type Signed,
  type TerminalCertificate,
  type WalletCommand,
} from '../../protocol';
import type { Answer } from '../wallet/wallet-core';
import type { Wallet } from '../wallet/wallet';

/** The FCI's protocol version: version 1 of the applet interface, as the AID's last byte says. */
export const FCI_PROTOCOL_VERSION = AID_VERSION;

export interface InternalErrorReport {
  /** The command that failed, as hex, so the bug can be reproduced. */
  readonly command: string;
  readonly error: unknown;
}

const EMPTY = new Uint8Array(0);

export class WalletApplet {
  /** Whether this session SELECTed the wallet; a new tap starts unselected. */
  private selected = false;
  /** The terminal certificate accepted in this session, if any. */
  private terminal: Signed<TerminalCertificate> | undefined;
  private readonly chunker = new ResponseChunker();

  constructor(
    private readonly wallet: Wallet,
    private readonly onInternalError: (report: InternalErrorReport) => void,
  ) {}

  /** A new session: the phone entered a field, left it, or the reader reset the card. */
  reset(): void {
    this.selected = false;
    this.terminal = undefined;
    this.chunker.reset();
  }

  /** One command APDU in, one response APDU (data + SW1 SW2) out. Never throws. */
  processApdu(bytes: Uint8Array): Uint8Array {
    try {
      return this.process(bytes);
    } catch (error) {
      this.chunker.reset();
      this.onInternalError({ command: hexOf(bytes), error });
      return encodeResponse(EMPTY, SW.internal_error);
    }
  }

  private process(bytes: Uint8Array): Uint8Array {
    const { command, classified } = classifyCommandBytes(bytes);
    switch (classified.kind) {
      case 'get_response':
        return this.chunker.getResponse(classified.le);
      case 'refused':
        return this.chunker.respond(command, EMPTY, classified.sw);
      case 'select':
        this.selected = true;
        this.terminal = undefined;
        return this.chunker.respond(command, this.fci());
      default:
        // Everything else belongs to a selected session: a reader that skipped SELECT is
        // talking to whichever applet it thinks this is, and gets no wallet data.
        if (!this.selected)
          return this.chunker.respond(command, EMPTY, SW.conditions_not_satisfied);
        return this.answer(command as CommandApdu, this.run(classified));
    }
  }

  private run(
    command: Exclude<WalletCommand, { kind: 'select' | 'get_response' }>,
  ): Answer<Uint8Array> {
    switch (command.kind) {
      case 'present_terminal_certificate': {
        const accepted = this.wallet.presentTerminal(command.certificate);
        this.terminal = accepted.ok ? accepted.value : undefined;
        return map(accepted, () => EMPTY);
      }
      case 'read_certificate':
        return this.wallet.certificate(this.terminal);
      case 'read_freshness':
        return this.wallet.freshness(this.terminal);
      case 'pay':
        return map(this.wallet.pay(command.request, this.terminal), (record) => record.encoded);
      case 'read_log':
        return map(this.wallet.log(command.count, this.terminal), (records) =>
          encodePaymentLog(records),
        );
      case 'deliver':
        return map(this.wallet.applyNotice(command.notification, 'terminal'), () => EMPTY);
    }
  }

  private answer(command: CommandApdu, answer: Answer<Uint8Array>): Uint8Array {
    return answer.ok
      ? this.chunker.respond(command, answer.value)
      : this.chunker.respond(command, EMPTY, answer.sw);
  }

  private fci(): Uint8Array {
    const walletState = this.wallet.currentState();
    return encodeFci(
      walletState === 'not_activated'
        ? { protocolVersion: FCI_PROTOCOL_VERSION, walletState }
        : { protocolVersion: FCI_PROTOCOL_VERSION, walletState, walletId: this.wallet.walletId },
    );
  }
}

function map<T, U>(answer: Answer<T>, f: (value: T) => U): Answer<U> {
  return answer.ok ? { ok: true, value: f(answer.value) } : answer;
}

function hexOf(bytes: unknown): string {
  return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('hex') : String(bytes);
}
