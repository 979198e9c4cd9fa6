/**
 * The wallet applet's command set and the builders a terminal uses to send it. Inter-
 * industry commands (SELECT, GET RESPONSE) use CLA 00; Tapsafe's own use the proprietary
 * class 80, so a phone can never mistake them for another applet's ISO commands.
 */
import { ProtocolError } from '../errors';
import { encodeCommandApdu, MAX_EXTENDED_LE, MAX_SHORT_LC, MAX_SHORT_LE } from './command';

/** Version of the applet interface, carried in the AID's last byte. */
export const AID_VERSION = 0x01;
/** F0 (proprietary, unregistered RID) + ASCII "TAPSAFE" + version. */
export const AID: Uint8Array = Uint8Array.from([
  0xf0,
  ...Buffer.from('TAPSAFE', 'ascii'),
  AID_VERSION,
]);
export const AID_HEX = Buffer.from(AID).toString('hex').toUpperCase();

export const CLA_ISO = 0x00;
export const CLA_PROPRIETARY = 0x80;

export const INS = {
  select: 0xa4,
  getResponse: 0xc0,
  /** GET DATA style: P2 names the object. */
  readObject: 0xca,
  pay: 0x50,
  readLog: 0xb2,
  deliver: 0xd0,
  /** PRESENT TERMINAL CERTIFICATE: who will ask to be paid in this session. */
  presentTerminalCertificate: 0xd2,
} as const;

/** P1 of SELECT: select by DF name (AID). P2 00: first or only occurrence, return FCI. */
export const P1_SELECT_BY_NAME = 0x04;
/** P2 of READ (INS CA) naming what to read. */
export const P2_CERTIFICATE = 0x01;
export const P2_FRESHNESS = 0x02;

/** READ LOG asks for 1..16 records; the applet keeps at least this many. */
export const MAX_LOG_RECORDS = 16;

export interface ReadOptions {
  /**
   * Ask with extended Le 0000 (65,536) so the applet answers whole, unchained. Only for
   * readers and phones known to carry extended APDUs; the default short Le 00 (256)
   * works everywhere and makes the applet chain longer answers with 61xx.
   */
  extended?: boolean;
}

/** Ne for a command expecting an answer: the maximum of the form the command will use. */
function expected(dataLength: number, options: ReadOptions | undefined): number {
  return options?.extended === true || dataLength > MAX_SHORT_LC ? MAX_EXTENDED_LE : MAX_SHORT_LE;
}

function checkData(bytes: Uint8Array, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ProtocolError('bad_apdu', 'apdu', `${what} must be a non-empty byte array`);
  }
  return bytes;
}

/** 00 A4 04 00 09 <AID> 00. */
export function selectCommand(): Uint8Array {
  return encodeCommandApdu({
    cla: CLA_ISO,
    ins: INS.select,
    p1: P1_SELECT_BY_NAME,
    p2: 0,
    data: AID,
    le: MAX_SHORT_LE,
  });
}

/** 80 CA 00 01 00 → signed WalletCertificate envelope. */
export function readCertificateCommand(options?: ReadOptions): Uint8Array {
  return encodeCommandApdu({
    cla: CLA_PROPRIETARY,
    ins: INS.readObject,
    p1: 0,
    p2: P2_CERTIFICATE,
    le: expected(0, options),
  });
}

/** 80 CA 00 02 00 → signed FreshnessToken envelope. */
export function readFreshnessCommand(options?: ReadOptions): Uint8Array {
  return encodeCommandApdu({
    cla: CLA_PROPRIETARY,
    ins: INS.readObject,
    p1: 0,
    p2: P2_FRESHNESS,
    le: expected(0, options),
  });
}

/** 80 50 00 00 Lc <signed PaymentRequest> 00 → signed PaymentRecord envelope. */
export function payCommand(signedRequest: Uint8Array, options?: ReadOptions): Uint8Array {
  const data = checkData(signedRequest, 'PAY data');
  return encodeCommandApdu({
    cla: CLA_PROPRIETARY,
    ins: INS.pay,
    p1: 0,
    p2: 0,
    data,
    le: expected(data.length, options),
  });
}

/** 80 B2 NN 00 00 → FF10 with up to NN signed PaymentRecords, newest first. */
export function readLogCommand(count: number, options?: ReadOptions): Uint8Array {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOG_RECORDS) {
    throw new ProtocolError(
      'bad_apdu',
      'apdu',
      `READ LOG count ${String(count)} is not in 1..${MAX_LOG_RECORDS}`,
    );
  }
  return encodeCommandApdu({
    cla: CLA_PROPRIETARY,
    ins: INS.readLog,
    p1: count,
    p2: 0,
    le: expected(0, options),
  });
}

/** 80 D0 00 00 Lc <signed Notification> → 9000, no data. */
export function deliverCommand(signedNotification: Uint8Array): Uint8Array {
  const data = checkData(signedNotification, 'DELIVER data');
  return encodeCommandApdu({ cla: CLA_PROPRIETARY, ins: INS.deliver, p1: 0, p2: 0, data });
}

/**
 * 80 D2 00 00 Lc <signed TerminalCertificate> → 9000, no data. The wallet keeps the
 * certificate it accepted until the session ends (next SELECT, reset, the card leaving).
 */
export function presentTerminalCertificateCommand(signedCertificate: Uint8Array): Uint8Array {
  const data = checkData(signedCertificate, 'PRESENT TERMINAL CERTIFICATE data');
  return encodeCommandApdu({
    cla: CLA_PROPRIETARY,
    ins: INS.presentTerminalCertificate,
    p1: 0,
    p2: 0,
    data,
  });
}

/** 00 C0 00 00 Le: the next part of a chained answer (Le 1..256; 256 is sent as 00). */
export function getResponseCommand(le: number): Uint8Array {
  if (!Number.isInteger(le) || le < 1 || le > MAX_SHORT_LE) {
    throw new ProtocolError(
      'bad_apdu',
      'apdu',
      `GET RESPONSE Le ${String(le)} is not in 1..${MAX_SHORT_LE}`,
    );
  }
  return encodeCommandApdu({ cla: CLA_ISO, ins: INS.getResponse, p1: 0, p2: 0, le });
}
