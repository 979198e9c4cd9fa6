/**
 * Signed objects. On the wire a signed object is an envelope, tag F0, holding the body TLV
 * and then the signature (DF7F, 64 bytes r||s). The signature covers
 * `"tapsafe/1/" + name`, one 0x00 byte, and the exact body bytes, so one kind of object can
 * never be replayed as another.
 */
import type { KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors';
import { decodeElement, type Element } from '../codec/elements';
import { encodeTlv, headerSize, readTlvHeader, tagHex } from '../codec/tlv';
import { importPublicKey, signP1363, verifyP1363, type SigningKey } from '../crypto/ecdsa';
import { F } from './fields';

export const ENVELOPE_TAG = 0xf0;
export const DOMAIN_PREFIX = 'tapsafe/1/';

export interface Signed<T> {
  readonly value: T;
  /** The body TLV exactly as signed. */
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
  /** The whole envelope, as stored and sent. */
  readonly encoded: Uint8Array;
}

export interface SignedObjectType<T> {
  readonly name: string;
  readonly domain: string;
  readonly body: Element<T>;
  /** The envelope as an element, for objects that carry other signed objects. */
  readonly envelope: Element<Signed<T>>;
  encodeBody(value: T): Uint8Array;
  decodeBody(bytes: Uint8Array): T;
  /** The bytes a signature covers: domain label, 0x00, body. */
  signedMessage(body: Uint8Array): Uint8Array;
  sign(value: T, key: SigningKey): Signed<T>;
  /** Parses an envelope without checking its signature. */
  decode(bytes: Uint8Array): Signed<T>;
  /** Throws `bad_signature` unless `signed` verifies under `publicKey`. */
  verify(signed: Signed<T>, publicKey: Uint8Array | KeyObject): void;
  /** decode + verify. */
  open(bytes: Uint8Array, publicKey: Uint8Array | KeyObject): Signed<T>;
}

export function defineSignedObject<T>(name: string, body: Element<T>): SignedObjectType<T> {
  const domain = `${DOMAIN_PREFIX}${name}`;
  const domainPrefix = Buffer.concat([Buffer.from(domain, 'ascii'), Buffer.of(0)]);
  const signedMessage = (bodyBytes: Uint8Array): Uint8Array =>
    Buffer.concat([domainPrefix, bodyBytes]);

  const wrap = (value: T, bodyBytes: Uint8Array, signature: Uint8Array): Signed<T> => ({
    value,
    body: exact(bodyBytes),
    signature: exact(signature),
    encoded: exact(
      encodeTlv(
        ENVELOPE_TAG,
        Buffer.concat([bodyBytes, F.signature.write(signature, `${name}.signature`)]),
        name,
      ),
    ),
  });

  const envelope: Element<Signed<T>> = {
    tag: ENVELOPE_TAG,
    describe: `signed ${name}: body ${tagHex(body.tag)} then signature DF7F`,
    write(signed, field) {
      // The envelope is written as it was signed, so it must be one canonical envelope of
      // this kind: anything else would make the enclosing object undecodable, or smuggle
      // another kind of object into it.
      const encoded = signed?.encoded;
      if (encoded instanceof Uint8Array) {
        try {
          decodeElement(envelope, encoded, field);
          return Buffer.from(encoded);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }
      throw new ProtocolError('bad_value', field, `must be a signed ${name}`);
    },
    read(bytes, start, end, field) {
      const bodyHeader = readTlvHeader(bytes, start, end, field);
      if (bodyHeader.tag !== body.tag) {
        throw new ProtocolError(
          'bad_tag',
          field,
          `expected ${name} body ${tagHex(body.tag)}, got ${tagHex(bodyHeader.tag)}`,
        );
      }
      const value = body.read(bytes, bodyHeader.valueStart, bodyHeader.end, field);
      const sigField = `${field}.signature`;
      const sigHeader = readTlvHeader(bytes, bodyHeader.end, end, sigField);
      if (sigHeader.tag !== F.signature.tag) {
        throw new ProtocolError('bad_tag', sigField, `expected DF7F, got ${tagHex(sigHeader.tag)}`);
      }
      const signature = F.signature.read(bytes, sigHeader.valueStart, sigHeader.end, sigField);
      if (sigHeader.end !== end) {
        throw new ProtocolError(
          'trailing_bytes',
          field,
          `${end - sigHeader.end} bytes after the signature`,
        );
      }
      // Canonical lengths let us find where the envelope began and keep its bytes as
      // received, instead of encoding them again.
      const envelopeStart = start - headerSize(ENVELOPE_TAG, end - start);
      return {
        value,
        body: copy(bytes, start, bodyHeader.end),
        signature,
        encoded: copy(bytes, envelopeStart, end),
      };
    },
  };

  const verify = (signed: Signed<T>, publicKey: Uint8Array | KeyObject): void => {
    const key =
      publicKey instanceof Uint8Array ? importPublicKey(publicKey, `${name}.signer`) : publicKey;
    if (!verifyP1363(key, signedMessage(signed.body), signed.signature)) {
      throw new ProtocolError(
        'bad_signature',
        `${name}.signature`,
        'does not verify under the signer key',
      );
    }
  };

  const decode = (bytes: Uint8Array): Signed<T> => decodeElement(envelope, bytes, name);

  return {
    name,
    domain,
    body,
    envelope,
    encodeBody: (value) => exact(body.write(value, name)),
    decodeBody: (bytes) => decodeElement(body, bytes, name),
    signedMessage,
    sign(value, key) {
      const bodyBytes = body.write(value, name);
      return wrap(value, bodyBytes, signP1363(key, signedMessage(bodyBytes)));
    },
    decode,
    verify,
    open(bytes, publicKey) {
      const signed = decode(bytes);
      verify(signed, publicKey);
      return signed;
    },
  };
}

const copy = (bytes: Uint8Array, start: number, end: number): Uint8Array =>
  Uint8Array.prototype.slice.call(bytes, start, end);

/**
 * Small Buffers share Node's 8 KiB allocation pool; posting one to a worker or over IPC
 * would copy (and disclose) the whole pool. What we hand out owns exactly its bytes.
 */
function exact(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  return new Uint8Array(bytes);
}
