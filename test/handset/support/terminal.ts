/**
 * A minimal terminal for tests: it signs payment requests with a fixed terminal key, holds a
 * platform-signed terminal certificate for that key (the test issuer's by default) which it
 * presents after every SELECT, and speaks the applet's APDUs through an in-process field,
 * following 61xx chaining as a real reader would (protocol/apdu's transceiveAll). It checks
 * nothing itself; tests do.
 */
import { randomBytes } from 'node:crypto';
import {
  decodeFci,
  decodePaymentLog,
  deliverCommand,
  INS,
  keyIdOf,
  payCommand,
  PaymentRecord,
  PaymentRequest,
  presentTerminalCertificateCommand,
  TerminalCertificate,
  readCertificateCommand,
  readFreshnessCommand,
  readLogCommand,
  selectCommand,
  signingKeyFromScalar,
  transceiveAll,
  type Fci,
  type ResponseApdu,
  type Signed,
  type SigningKey,
} from '../../../protocol';
import type { Card, Clock, InProcessField } from '../../../handset';
import { DAY, EUR, issuerKey } from './platform';

export const terminalKey = signingKeyFromScalar(new Uint8Array(32).fill(0x33));

export interface TerminalIdentity {
  readonly merchantId?: string;
  readonly terminalId?: string;
  /** The key requests are signed with (default terminalKey). */
  readonly key?: SigningKey;
  /** The certificate presented after SELECT; default: the test issuer certifies `key`. */
  readonly certificate?: Signed<TerminalCertificate>;
}

/** A terminal certificate as the platform issues one; fields overridable for bad cases. */
export function certifyTerminal(
  clock: Clock,
  fields: Partial<TerminalCertificate> = {},
  issuer: SigningKey = issuerKey,
): Signed<TerminalCertificate> {
  const now = clock.now();
  return TerminalCertificate.sign(
    {
      serial: 7001,
      merchantId: 'M-0001',
      terminalId: 'T-0001-01',
      terminalPublicKey: terminalKey.publicKey,
      issuerKeyId: keyIdOf(issuer.publicKey),
      validFrom: now - 300,
      validUntil: now + 30 * DAY,
      ...fields,
    },
    issuer,
  );
}

export class TestTerminal {
  readonly merchantId: string;
  readonly terminalId: string;
  readonly key: SigningKey;
  /** Presented after each SELECT; undefined: this terminal presents nothing (a rogue reader). */
  certificate: Signed<TerminalCertificate> | undefined;

  constructor(
    readonly field: InProcessField,
    private readonly clock: Clock,
    identity: TerminalIdentity = {},
  ) {
    this.merchantId = identity.merchantId ?? identity.certificate?.value.merchantId ?? 'M-0001';
    this.terminalId = identity.terminalId ?? identity.certificate?.value.terminalId ?? 'T-0001-01';
    this.key = identity.key ?? terminalKey;
    this.certificate =
      identity.certificate ??
      certifyTerminal(clock, {
        merchantId: this.merchantId,
        terminalId: this.terminalId,
        terminalPublicKey: this.key.publicKey,
      });
  }

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
      this.key,
    );
  }

  send(command: Uint8Array): Promise<ResponseApdu> {
    return transceiveAll((c) => this.field.transmit(c), command);
  }

  /**
   * SELECT, then PRESENT TERMINAL CERTIFICATE when the wallet answered and this terminal has
   * one; `presented` is PRESENT's status word (undefined when nothing was presented).
   */
  async select(): Promise<{ sw: number; fci: Fci | undefined; presented: number | undefined }> {
    const { data, sw } = await this.send(selectCommand());
    const fci = sw === 0x9000 ? decodeFci(data) : undefined;
    const presented =
      fci !== undefined && this.certificate !== undefined
        ? await this.present(this.certificate)
        : undefined;
    return { sw, fci, presented };
  }

  async present(certificate: Signed<TerminalCertificate>): Promise<number> {
    return (await this.send(presentTerminalCertificateCommand(certificate.encoded))).sw;
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
