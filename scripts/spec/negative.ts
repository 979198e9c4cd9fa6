/**
 * Encodings a decoder must refuse, each with the error code and field it must name. They
 * are built from the sample record by changing one thing, so each case shows one rule.
 */
import {
  F,
  PaymentRecord,
  ProtocolError,
  WalletCertificate,
  type SignedObjectType,
} from '../../protocol';
import * as sample from './samples';

export interface NegativeCase {
  rule: string;
  object: string;
  /** 'body' for a bare body TLV, 'envelope' for a signed envelope checked with open(). */
  form: 'body' | 'envelope';
  hex: string;
  code: ProtocolError['code'];
  field: string;
}

const tlv = (tagHex: string, valueHex: string): string => {
  const length = valueHex.length / 2;
  const lengthHex = length < 0x80 ? '' : length <= 0xff ? '81' : '82';
  return tagHex + lengthHex + length.toString(16).padStart(length <= 0xff ? 2 : 4, '0') + valueHex;
};

/** The sample record's body with its fields as hex TLVs, in order, for surgery. */
function recordFields(): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, element] of Object.entries(PaymentRecord.body.children ?? {})) {
    const value = sample.record[name as keyof typeof sample.record];
    fields.set(name, Buffer.from(element.write(value, name)).toString('hex'));
  }
  return fields;
}

const recordBody = (fields: Map<string, string>, extra = ''): string =>
  tlv('e4', [...fields.values()].join('') + extra);

function outcome(type: SignedObjectType<unknown>, form: NegativeCase['form'], hex: string) {
  const bytes = Buffer.from(hex, 'hex');
  try {
    if (form === 'body') type.decodeBody(bytes);
    else type.open(bytes, sample.keys.wallet.publicKey);
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error(`negative vector was accepted: ${hex}`);
}

export function negativeCases(objects: { object: string; envelopeHex: string }[]): NegativeCase[] {
  const cases: {
    rule: string;
    type: SignedObjectType<unknown>;
    form: NegativeCase['form'];
    hex: string;
  }[] = [];
  const body = (rule: string, edit: (fields: Map<string, string>) => string): void => {
    cases.push({ rule, type: PaymentRecord, form: 'body', hex: edit(recordFields()) });
  };
  const amountTag = F.amount.tag.toString(16);

  body('integer with a leading zero byte', (f) =>
    recordBody(f.set('amount', tlv(amountTag, '000a27'))),
  );
  body('length in long form where the short form fits', (f) =>
    recordBody(f.set('amount', `${amountTag}81020a27`)),
  );
  body('indefinite length', (f) => recordBody(f.set('amount', `${amountTag}800a27`)));
  body('currency above 999', (f) => recordBody(f.set('currency', tlv('df11', '03e8'))));
  body('identifier with a space', (f) =>
    recordBody(f.set('merchantId', tlv('df12', Buffer.from('M 0001').toString('hex')))),
  );
  body('fields out of order', (f) => {
    const [walletId, counter] = [f.get('walletId') ?? '', f.get('counter') ?? ''];
    return recordBody(f.set('walletId', counter).set('counter', walletId));
  });
  body('a field the schema does not have, after the last field', (f) => recordBody(f, 'df2c0100'));
  body('a byte after the object', (f) => `${recordBody(f)}00`);
  body('a value shorter than its length says', (f) => recordBody(f).slice(0, -2));

  const recordEnvelope = objects.find((o) => o.object === PaymentRecord.name)?.envelopeHex ?? '';
  const certEnvelope = objects.find((o) => o.object === WalletCertificate.name)?.envelopeHex ?? '';
  const envelope = (rule: string, hex: string): void => {
    cases.push({ rule, type: PaymentRecord, form: 'envelope', hex });
  };
  envelope(
    'last signature byte flipped',
    recordEnvelope.slice(0, -2) +
      (Number.parseInt(recordEnvelope.slice(-2), 16) ^ 1).toString(16).padStart(2, '0'),
  );
  envelope('a certificate presented as a record', certEnvelope);
  envelope('envelope cut short by one byte', recordEnvelope.slice(0, -2));

  return cases.map(({ rule, type, form, hex }) => ({
    rule,
    object: type.name,
    form,
    hex,
    ...outcome(type, form, hex),
  }));
}
