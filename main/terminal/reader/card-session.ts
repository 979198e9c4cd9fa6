/**
 * One card in one reader's field, from arrival to removal, for any driver: exchanges follow
 * 61xx / 6Cxx (protocol's transceiveAll), and once the session ends (the card left, the
 * reader was unplugged, pcscd went away) every exchange in flight rejects at once with the
 * reason, even if the transport underneath would have hung or answered later.
 */
import { transceiveAll, type ResponseApdu } from '../../../protocol';
import { ReaderError, type CardInField, type ReaderErrorCode } from './reader';

export interface SessionTransport {
  /** One command APDU → one response APDU (data + SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /**
   * What a transport failure means, as a ReaderError (the card left, the reader failed…);
   * may look around first (is pcscd still there?).
   */
  failure(error: unknown): ReaderError | Promise<ReaderError>;
}

interface Ending {
  readonly code: ReaderErrorCode;
  readonly message: string;
}

/** No answer yet: the placeholder until the arrival SELECT is answered. */
const NO_SELECT: ResponseApdu = { data: new Uint8Array(0), sw: 0 };

export class CardSession implements CardInField {
  private ending: Ending | undefined;
  private readonly onEnd = new Set<(ending: Ending) => void>();
  private selected: ResponseApdu = NO_SELECT;

  constructor(
    readonly readerName: string,
    private readonly transport: SessionTransport,
  ) {}

  get select(): ResponseApdu {
    return this.selected;
  }

  get gone(): boolean {
    return this.ending !== undefined;
  }

  /** Records the answer to the SELECT made on arrival (done through this session or not). */
  selectedWith(answer: ResponseApdu): this {
    this.selected = answer;
    return this;
  }

  /** The card left (or its reader did): exchanges in flight and later ones reject with this. */
  end(code: ReaderErrorCode, message: string): void {
    if (this.ending) return;
    const ending = { code, message };
    this.ending = ending;
    for (const listener of [...this.onEnd]) listener(ending);
    this.onEnd.clear();
  }

  exchange(command: Uint8Array): Promise<ResponseApdu> {
    if (this.ending) return Promise.reject(this.errorOf(this.ending));
    return new Promise((resolve, reject) => {
      const ended = (ending: Ending): void => reject(this.errorOf(ending));
      this.onEnd.add(ended);
      void transceiveAll((part) => this.transmitPart(part), command)
        .then(resolve, async (error: unknown) => {
          const failure =
            error instanceof ReaderError ? error : await this.transport.failure(error);
          // The session may have ended while the failure was being looked into.
          if (this.ending) {
            reject(this.errorOf(this.ending));
            return;
          }
          // The transport saw the card or reader go before the driver's event says so.
          this.onEnd.delete(ended);
          if (failure.code === 'card_removed' || failure.code === 'reader_gone') {
            this.end(failure.code, failure.message);
          }
          reject(failure);
        })
        .finally(() => this.onEnd.delete(ended));
    });
  }

  private async transmitPart(command: Uint8Array): Promise<Uint8Array> {
    if (this.ending) throw this.errorOf(this.ending);
    return this.transport.transmit(command);
  }

  private errorOf(ending: Ending): ReaderError {
    return new ReaderError(ending.code, `${this.readerName}: ${ending.message}`);
  }
}
