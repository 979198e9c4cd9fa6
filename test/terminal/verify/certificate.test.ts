/** The wallet certificate: issuer key, signature, walletId, then validity and currency. */
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../protocol';
import {
  checkCertificate,
  checkCertificateForPayment,
  issuerKeyFor,
} from '../../../main/terminal/verify';
import { DAY, issuerKey, strangerKey } from '../../handset/support/platform';
import {
  nonCanonical,
  NOW,
  OTHER_WALLET_ID,
  parameters,
  trustKey,
  WALLET_ID,
  walletCertificate,
} from '../support/world';

const context = { trustKeys: [trustKey], now: NOW, walletId: WALLET_ID };

describe('checkCertificate', () => {
  it('accepts a certificate signed by a trust key, naming the tapped wallet', () => {
    const signed = walletCertificate();
    const checked = checkCertificate(signed.encoded, context);
    expect(checked).toMatchObject({ ok: true });
    expect(checked.ok && checked.certificate.encoded).toEqual(signed.encoded);
  });

  it('declines unknown_issuer for a certificate naming a key the terminal does not trust', () => {
    const signed = walletCertificate({ issuerKeyId: keyIdOf(strangerKey.publicKey) }, strangerKey);
    expect(checkCertificate(signed.encoded, context)).toMatchObject({
      ok: false,
      code: 'unknown_issuer',
    });
  });

  it('declines unknown_issuer once the trust key is retired, and accepts the second before', () => {
    const signed = walletCertificate();
    const retired = [{ ...trustKey, retiredAt: NOW }];
    expect(checkCertificate(signed.encoded, { ...context, trustKeys: retired })).toMatchObject({
      ok: false,
      code: 'unknown_issuer',
    });
    const later = [{ ...trustKey, retiredAt: NOW + 1 }];
    expect(checkCertificate(signed.encoded, { ...context, trustKeys: later }).ok).toBe(true);
  });

  it('declines certificate_invalid for a forged certificate (the right key id, another signer)', () => {
    const forged = walletCertificate({}, strangerKey);
    expect(checkCertificate(forged.encoded, context)).toMatchObject({
      ok: false,
      code: 'certificate_invalid',
    });
  });

  it('declines certificate_invalid when one signed byte was changed', () => {
    const bytes = Buffer.from(walletCertificate().encoded);
    const serialAt = bytes.indexOf(Buffer.from([0xdf, 0x02]));
    bytes[serialAt + 3] = (bytes[serialAt + 3] as number) ^ 0x01;
    expect(checkCertificate(bytes, context)).toMatchObject({ code: 'certificate_invalid' });
  });

  it('declines wallet_mismatch for a genuine certificate of another wallet', () => {
    const other = walletCertificate({ walletId: OTHER_WALLET_ID });
    expect(checkCertificate(other.encoded, context)).toMatchObject({ code: 'wallet_mismatch' });
  });

  it('declines malformed_answer for non-canonical TLV and for garbage', () => {
    const signed = walletCertificate();
    expect(checkCertificate(nonCanonical(signed.encoded), context)).toMatchObject({
      ok: false,
      code: 'malformed_answer',
    });
    expect(checkCertificate(Buffer.from('f00100', 'hex'), context)).toMatchObject({
      code: 'malformed_answer',
    });
    expect(checkCertificate(new Uint8Array(0), context)).toMatchObject({
      code: 'malformed_answer',
    });
  });
});

describe('checkCertificateForPayment', () => {
  const ctx = { now: NOW, parameters };

  it('accepts at both ends of the validity', () => {
    expect(checkCertificateForPayment(walletCertificate({ validFrom: NOW }).value, ctx).ok).toBe(
      true,
    );
    expect(checkCertificateForPayment(walletCertificate({ validUntil: NOW }).value, ctx).ok).toBe(
      true,
    );
  });

  it('declines certificate_expired after validUntil and before validFrom', () => {
    const expired = walletCertificate({ validFrom: NOW - 400 * DAY, validUntil: NOW - 1 });
    expect(checkCertificateForPayment(expired.value, ctx)).toMatchObject({
      ok: false,
      code: 'certificate_expired',
    });
    const early = walletCertificate({ validFrom: NOW + 1 });
    expect(checkCertificateForPayment(early.value, ctx)).toMatchObject({
      code: 'certificate_expired',
    });
  });

  it("declines currency_mismatch for a wallet in another currency than the terminal's", () => {
    const yuan = walletCertificate({ currency: 156 });
    expect(checkCertificateForPayment(yuan.value, ctx)).toMatchObject({
      ok: false,
      code: 'currency_mismatch',
    });
  });
});

describe('issuerKeyFor', () => {
  it('finds the key by id and says which id is unknown', () => {
    expect(issuerKeyFor([trustKey], keyIdOf(issuerKey.publicKey), NOW, 'x')).toMatchObject({
      ok: true,
      key: trustKey,
    });
    const unknown = issuerKeyFor([], keyIdOf(issuerKey.publicKey), NOW, 'x');
    expect(unknown).toMatchObject({ ok: false, code: 'unknown_issuer' });
    expect(!unknown.ok && unknown.detail).toContain(
      Buffer.from(keyIdOf(issuerKey.publicKey)).toString('hex'),
    );
  });
});
