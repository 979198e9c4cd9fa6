/**
 * A minimal terminal for tests: it signs payment requests with a fixed terminal key and
 * speaks the applet's APDUs through an in-process field, following 61xx chaining as a real
 * reader would (protocol/apdu's transceiveAll). It checks nothing itself; tests do.
 */
import { randomBytes } from 'node:crypto';
import {
  decodeFci,
  decodePaymentLog,
  deliverCommand,
  INS,
  payCommand,
  PaymentRecord,
  PaymentRequest,
  readCertificateCommand,
  readFreshnessCommand,
  readLogCommand,
  selectCommand,
  signingKeyFromScalar,
  transceiveAll,
  type Fci,
  type ResponseApdu,
  type Signed,
} from '../../../protocol';
import type { Card, Clock, InProcessField } from '../../../handset';
import { EUR } from './platform';

export const terminalKey = signingKeyFromScalar(new Uint8Array(32).fill(0x33));

export class TestTerminal {
  constructor(
    readonly field: InProcessField,
    private readonly clock: Clock,
    readonly merchantId = 'M-0001',
    readonly terminalId = 'T-0001-01',
  ) {}

  request(amount: number, currency = EUR): Signed<PaymentRequest> {
    return PaymentRequest.sign(
      {
        amount,
        currency,
        merchantId: this.merchantId,
        terminalId: this.terminalId,
        terminalTime: this.clock.now(),
        nonce: new Uint8Array(randomBytes(16)),
      },
      terminalKey,
    );
  }

  send(command: Uint8Array): Promise<ResponseApdu> {
    return transceiveAll((c) => this.field.transmit(c), command);
  }

  async select(): Promise<{ sw: number; fci: Fci | undefined }> {
    const { data, sw } = await this.send(selectCommand());
    return { sw, fci: sw === 0x9000 ? decodeFci(data) : undefined };
  }

  readCertificate(): Promise<ResponseApdu> {
    return this.send(readCertificateCommand());
  }

  readFreshness(): Promise<ResponseApdu> {
    return this.send(readFreshnessCommand());
  }

  /** SELECT (if asked) then PAY; the record decoded when the wallet signed. */
  async pay(
    request: Signed<PaymentRequest>,
    options: { select?: boolean } = {},
  ): Promise<{ sw: number; record: Signed<PaymentRecord> | undefined }> {
    if (options.select !== false) await this.select();
    const { data, sw } = await this.send(payCommand(request.encoded));
    return { sw, record: sw === 0x9000 ? PaymentRecord.decode(data) : undefined };
  }

  async readLog(count = 16): Promise<{ sw: number; records: Signed<PaymentRecord>[] }> {
    const { data, sw } = await this.send(readLogCommand(count));
    return { sw, records: sw === 0x9000 ? decodePaymentLog(data, count) : [] };
  }

  /**
   * S11's torn tap: the phone processes PAY but leaves the field before the answer; on the
   * next tap the terminal reads the log. Says how the first tap ended, whether the card
   * was gone after it, and what READ LOG answered.
   */
  async tornPayThenReadLog(amount: number, phone: Card) {
    const request = this.request(amount);
    await this.select();
    this.field.tearAfterProcessing((command) => command[1] === INS.pay);
    const torn = await this.pay(request, { select: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const cardLeft = this.field.current === undefined;
    this.field.present(phone);
    await this.select();
    return { request, torn, cardLeft, ...(await this.readLog(16)) };
  }

  async deliver(notice: Uint8Array): Promise<number> {
    return (await this.send(deliverCommand(notice))).sw;
  }
}
