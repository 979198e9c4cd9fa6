import { describe, expect, it } from 'vitest';
import {
  AID,
  AID_HEX,
  classifyCommand,
  classifyCommandBytes,
  deliverCommand,
  encodeCommandApdu,
  generateSigningKey,
  getResponseCommand,
  Notification,
  parseCommandApdu,
  payCommand,
  PaymentRequest,
  ProtocolError,
  readCertificateCommand,
  readFreshnessCommand,
  readLogCommand,
  selectCommand,
  SW,
  type Classified,
} from '../../protocol';

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const classify = (bytes: Uint8Array): Classified => classifyCommand(parseCommandApdu(bytes));

const key = generateSigningKey();
const request = PaymentRequest.sign(
  {
    amount: 1250,
    currency: 978,
    merchantId: 'merchant-1',
    terminalId: 'pos-7',
    terminalTime: 1_790_000_000,
    nonce: new Uint8Array(16).fill(0x5a),
  },
  key,
);
const notification = Notification.sign(
  {
    notificationType: 'lock',
    walletId: new Uint8Array(16).fill(0x11),
    sequence: 4,
    issuerKeyId: new Uint8Array(8).fill(0x22),
    issuedAt: 1_790_000_100,
    amount: 0,
    balance: 5000,
    serial: 0,
  },
  key,
);

describe('AID', () => {
  it('is F0 + "TAPSAFE" + version 01', () => {
    expect(AID.length).toBe(9);
    expect(AID[0]).toBe(0xf0);
    expect(Buffer.from(AID.subarray(1, 8)).toString('ascii')).toBe('TAPSAFE');
    expect(AID[8]).toBe(0x01);
    expect(AID_HEX).toBe(toHex(AID));
  });
});

describe('builders produce the documented bytes and classify back', () => {
  it('SELECT', () => {
    expect(toHex(selectCommand())).toBe(`00A4040009${AID_HEX}00`);
    expect(classify(selectCommand())).toEqual({ kind: 'select' });
  });

  it('READ CERTIFICATE / READ FRESHNESS TOKEN, short and extended Le', () => {
    expect(toHex(readCertificateCommand())).toBe('80CA000100');
    expect(toHex(readFreshnessCommand())).toBe('80CA000200');
    expect(toHex(readCertificateCommand({ extended: true }))).toBe('80CA0001000000');
    expect(classify(readCertificateCommand())).toEqual({ kind: 'read_certificate' });
    expect(classify(readFreshnessCommand({ extended: true }))).toEqual({ kind: 'read_freshness' });
  });

  it('PAY carries the signed request and decodes it', () => {
    const bytes = payCommand(request.encoded);
    const len = request.encoded.length;
    expect(len).toBeLessThanOrEqual(255);
    expect(toHex(bytes)).toBe(
      `80500000${len.toString(16).padStart(2, '0').toUpperCase()}${toHex(request.encoded)}00`,
    );
    const c = classify(bytes);
    expect(c.kind).toBe('pay');
    if (c.kind !== 'pay') return;
    expect(c.request.value).toEqual(request.value);
    expect(Buffer.from(c.request.encoded).equals(request.encoded)).toBe(true);
  });

  it('PAY switches to the extended form when the request is over 255 bytes', () => {
    const big = new Uint8Array(300).fill(1);
    const parsed = parseCommandApdu(payCommand(big));
    expect(parsed).toMatchObject({ extended: true, le: 65536 });
    expect(parsed.data).toEqual(big);
    // The bytes are not a request: the applet answers 6A80.
    expect(classifyCommand(parsed)).toMatchObject({ kind: 'refused', sw: SW.malformed_data });
  });

  it('READ LOG 1..16', () => {
    expect(toHex(readLogCommand(1))).toBe('80B2010000');
    expect(toHex(readLogCommand(16))).toBe('80B2100000');
    for (let n = 1; n <= 16; n++)
      expect(classify(readLogCommand(n))).toEqual({ kind: 'read_log', count: n });
    for (const n of [0, 17, 1.5, -1]) expect(() => readLogCommand(n)).toThrow(ProtocolError);
  });

  it('DELIVER carries the signed notification, no Le', () => {
    const bytes = deliverCommand(notification.encoded);
    expect(parseCommandApdu(bytes).le).toBeUndefined();
    expect(toHex(bytes.subarray(0, 4))).toBe('80D00000');
    const c = classify(bytes);
    expect(c.kind).toBe('deliver');
    if (c.kind === 'deliver') expect(c.notification.value).toEqual(notification.value);
    // A terminal that appends Le anyway is tolerated.
    const withLe = encodeCommandApdu({ ...parseCommandApdu(bytes), le: 256 });
    expect(classify(withLe).kind).toBe('deliver');
  });

  it('GET RESPONSE', () => {
    expect(toHex(getResponseCommand(256))).toBe('00C0000000');
    expect(toHex(getResponseCommand(0x1f))).toBe('00C000001F');
    expect(classify(getResponseCommand(0x1f))).toEqual({ kind: 'get_response', le: 0x1f });
    expect(classify(getResponseCommand(256))).toEqual({ kind: 'get_response', le: 256 });
    for (const le of [0, 257]) expect(() => getResponseCommand(le)).toThrow(ProtocolError);
  });

  it('builders refuse empty data', () => {
    expect(() => payCommand(new Uint8Array(0))).toThrow(ProtocolError);
    expect(() => deliverCommand(new Uint8Array(0))).toThrow(ProtocolError);
  });
});

describe('refusals carry the documented status word', () => {
  const cases: [string, string, number][] = [
    ['unknown class', '84CA000100', SW.class_not_supported],
    ['proprietary INS under CLA 00', '00CA000100', SW.class_not_supported],
    ['SELECT under CLA 80', `80A4040009${AID_HEX}00`, SW.class_not_supported],
    ['unknown INS', '80FF000000', SW.unknown_instruction],
    ['unknown INS under CLA 00', '0084000008', SW.unknown_instruction],
    ['READ with P2 03', '80CA000300', SW.wrong_p1p2],
    ['READ with P1 01', '80CA010100', SW.wrong_p1p2],
    ['READ LOG 0', '80B2000000', SW.wrong_p1p2],
    ['READ LOG 17', '80B2110000', SW.wrong_p1p2],
    ['READ LOG with P2', '80B2010400', SW.wrong_p1p2],
    ['SELECT by FID', `00A4000009${AID_HEX}00`, SW.wrong_p1p2],
    ['SELECT with P2 0C', `00A4040C09${AID_HEX}00`, SW.wrong_p1p2],
    ['GET RESPONSE with P1', '00C0010000', SW.wrong_p1p2],
    ['PAY with P1', '8050010001AA00', SW.wrong_p1p2],
    ['DELIVER with P2', '80D0000101AA', SW.wrong_p1p2],
    ['READ without Le', '80CA0001', SW.wrong_length],
    ['READ with data', '80CA000101AA00', SW.wrong_length],
    ['READ LOG without Le', '80B20100', SW.wrong_length],
    ['SELECT without AID', '00A4040000', SW.wrong_length],
    ['PAY without data', '8050000000', SW.wrong_length],
    ['PAY without Le', '8050000001AA', SW.wrong_length],
    ['DELIVER without data', '80D00000', SW.wrong_length],
    ['GET RESPONSE without Le', '00C00000', SW.wrong_length],
    ['GET RESPONSE with data', '00C0000001AA00', SW.wrong_length],
    ['PAY with garbage', '8050000003DF010100', SW.malformed_data],
    ['DELIVER with garbage', '80D0000002F000', SW.malformed_data],
    ['SELECT of another AID', '00A4040007A000000003101000', SW.application_not_found],
    ['SELECT of a prefix of ours', `00A4040005${AID_HEX.slice(0, 10)}00`, SW.application_not_found],
  ];
  it.each(cases)('%s → its status word', (_name, bytes, sw) => {
    const c = classify(hex(bytes));
    expect(c.kind).toBe('refused');
    if (c.kind === 'refused') {
      expect(c.sw).toBe(sw);
      expect(c.reason.length).toBeGreaterThan(0);
    }
  });

  it('PAY with a signed object of another kind is malformed data', () => {
    const c = classify(payCommand(notification.encoded));
    expect(c).toMatchObject({ kind: 'refused', sw: SW.malformed_data });
    expect(classify(deliverCommand(request.encoded))).toMatchObject({
      kind: 'refused',
      sw: SW.malformed_data,
    });
  });

  it('SELECT without Le (case 3) is accepted', () => {
    expect(classify(hex(`00A4040009${AID_HEX}`))).toEqual({ kind: 'select' });
  });

  it('classifyCommandBytes answers 6700 for an APDU whose lengths do not add up', () => {
    const bad = classifyCommandBytes(hex('80D0000005AABB'));
    expect(bad.command).toBeUndefined();
    expect(bad.classified).toMatchObject({ kind: 'refused', sw: SW.wrong_length });
    const good = classifyCommandBytes(readLogCommand(3));
    expect(good.command?.p1).toBe(3);
    expect(good.classified).toEqual({ kind: 'read_log', count: 3 });
  });
});
