/**
 * Domain separation: a signature binds the object kind, the exact body and the key. No
 * signature of one kind verifies as another; no body is accepted under another's tag.
 */
import { describe, expect, it } from 'vitest';
import { PaymentRecord, PaymentRequest, signP1363, WalletCertificate } from '../../protocol';
import { concat, tlv, tlvOf } from './support/bytes';
import { attempt, expectProtocolError } from './support/errors';
import { keys } from './support/keys';
import { certificate, mainSamples, record, request } from './support/samples';

/** An envelope of `body` with `signature`, built by hand. */
const envelope = (body: Uint8Array, signature: Uint8Array) =>
  tlvOf('F0', body, tlv('DF7F', signature));

describe('domain separation', () => {
  const recordBody = PaymentRecord.encodeBody(record);

  it('every object kind has its own label', () => {
    const domains = mainSamples.map((c) => c.type.domain);
    expect(new Set(domains).size).toBe(mainSamples.length);
    for (const { type } of mainSamples) {
      expect(type.domain).toBe(`tapsafe/1/${type.name}`);
    }
  });

  it("a certificate's signature put on a record body, same key, does not verify", () => {
    const key = keys.issuer;
    const cert = WalletCertificate.sign(certificate, key);
    const forged = envelope(recordBody, cert.signature);
    expect(PaymentRecord.decode(forged).body).toEqual(Uint8Array.from(recordBody));
    expectProtocolError(
      () => PaymentRecord.open(forged, key.publicKey),
      'bad_signature',
      'payment-record.signature',
    );
  });

  it('a signature of the record body under the certificate label does not verify as a record', () => {
    const key = keys.wallet;
    const asCertificate = signP1363(key, WalletCertificate.signedMessage(recordBody));
    expectProtocolError(
      () => PaymentRecord.open(envelope(recordBody, asCertificate), key.publicKey),
      'bad_signature',
      'payment-record.signature',
    );
    // Control: the same construction under the record label opens.
    const asRecord = signP1363(key, PaymentRecord.signedMessage(recordBody));
    expect(PaymentRecord.open(envelope(recordBody, asRecord), key.publicKey).value).toMatchObject({
      counter: record.counter,
    });
  });

  it('a signature over the bare body, without a label, does not verify', () => {
    const bare = signP1363(keys.wallet, recordBody);
    expectProtocolError(
      () => PaymentRecord.open(envelope(recordBody, bare), keys.wallet.publicKey),
      'bad_signature',
    );
  });

  it('for every pair of kinds, a signature under one label never opens the other', () => {
    const failures: string[] = [];
    for (const target of mainSamples) {
      const body = target.type.encodeBody(target.value);
      for (const other of mainSamples) {
        if (other.type === target.type) continue;
        const signature = signP1363(target.signer, other.type.signedMessage(body));
        const outcome = attempt(() =>
          target.type.open(envelope(body, signature), target.signer.publicKey),
        );
        if (outcome.ok || (outcome.error as { code?: string }).code !== 'bad_signature') {
          failures.push(`${other.type.name} label on ${target.type.name}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('keys', () => {
  it('a record signed under key A fails under key B', () => {
    const signed = PaymentRecord.sign(record, keys.wallet);
    expect(PaymentRecord.open(signed.encoded, keys.wallet.publicKey).value).toMatchObject({
      counter: 42,
    });
    expectProtocolError(
      () => PaymentRecord.open(signed.encoded, keys.stranger.publicKey),
      'bad_signature',
      'payment-record.signature',
    );
    expectProtocolError(
      () => PaymentRecord.verify(PaymentRecord.decode(signed.encoded), keys.terminal.publicKey),
      'bad_signature',
    );
  });

  it.each(mainSamples.map((c) => [c.label, c] as const))(
    '%s: opens under its signer only',
    (_, { type, value, signer }) => {
      const { encoded } = type.sign(value, signer);
      expect(() => type.open(encoded, signer.publicKey)).not.toThrow();
      for (const other of Object.values(keys)) {
        if (other === signer) continue;
        expectProtocolError(
          () => type.open(encoded, other.publicKey),
          'bad_signature',
          `${type.name}.signature`,
        );
      }
    },
  );
});

describe('one kind is never read as another', () => {
  it('payment request body bytes wrapped as a payment record fail to decode (bad_tag)', () => {
    const requestBody = PaymentRequest.encodeBody(request);
    expectProtocolError(() => PaymentRecord.decodeBody(requestBody), 'bad_tag', 'payment-record');
    const signedRequest = PaymentRequest.sign(request, keys.terminal);
    expectProtocolError(
      () => PaymentRecord.decode(signedRequest.encoded),
      'bad_tag',
      'payment-record',
    );
    // Even re-tagged as a record body, a request lacks the record's leading fields.
    const retagged = concat(Uint8Array.of(0xe4), requestBody.subarray(1));
    expectProtocolError(
      () => PaymentRecord.decodeBody(retagged),
      'bad_tag',
      'payment-record.walletId',
    );
  });

  it('for every pair of kinds, decode and decodeBody refuse the other kind with bad_tag', () => {
    const failures: string[] = [];
    for (const target of mainSamples) {
      for (const other of mainSamples) {
        if (other.type === target.type) continue;
        const signed = other.type.sign(other.value, other.signer);
        for (const [what, run] of [
          ['decode', () => target.type.decode(signed.encoded)],
          ['decodeBody', () => target.type.decodeBody(signed.body)],
        ] as const) {
          const outcome = attempt(run);
          const error = outcome.ok
            ? undefined
            : (outcome.error as { code?: string; field?: string });
          if (error?.code !== 'bad_tag' || error.field !== target.type.name) {
            failures.push(`${target.type.name}.${what} of a ${other.type.name}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
