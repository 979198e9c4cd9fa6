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
import type { Clock, InProcessField } from '../../../handset';
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

  async deliver(notice: Uint8Array): Promise<number> {
    return (await this.send(deliverCommand(notice))).sw;
  }
}
