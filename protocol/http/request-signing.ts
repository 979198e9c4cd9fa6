/**
 * Signed HTTP requests: how wallets and terminals authenticate to the platform.
 *
 * Headers (all lower-case hex, time in decimal):
 *   X-Tapsafe-Wallet | X-Tapsafe-Terminal   walletId (32 hex) | terminalId (identifier)
 *   X-Tapsafe-Time                          unix seconds of the caller's clock
 *   X-Tapsafe-Nonce                         16 random bytes, 32 hex, never reused
 *   X-Tapsafe-Signature                     ECDSA P-256 / SHA-256, P1363 r||s, 128 hex
 *
 * The signature covers, byte for byte:
 *   domain 0x00 METHOD 0x00 target 0x00 time 0x00 nonce 0x00 sha256(body)
 * with domain "tapsafe/1/wallet-request" or "tapsafe/1/terminal-request", METHOD upper case,
 * target the request path and query exactly as sent ("/v1/x?y=1"), time and nonce as in
 * their headers, and the 32 raw bytes of SHA-256 over the exact body bytes (empty body:
 * SHA-256 of nothing). The parts are ASCII without 0x00, so the joining is unambiguous.
 *
 * It lives in protocol/ because all three parties need it: handsets and terminals sign,
 * the platform verifies.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolError } from '../errors';
import { sha256, signP1363, verifyP1363, type SigningKey } from '../crypto/ecdsa';
import type { KeyObject } from 'node:crypto';

export type RequestSignerKind = 'wallet' | 'terminal';

export const REQUEST_DOMAINS: Readonly<Record<RequestSignerKind, string>> = {
  wallet: 'tapsafe/1/wallet-request',
  terminal: 'tapsafe/1/terminal-request',
};

export const REQUEST_HEADERS = {
  wallet: 'x-tapsafe-wallet',
  terminal: 'x-tapsafe-terminal',
  time: 'x-tapsafe-time',
  nonce: 'x-tapsafe-nonce',
  signature: 'x-tapsafe-signature',
} as const;

/** How far the caller's clock may be from the platform's, either way. */
export const REQUEST_CLOCK_WINDOW_SECONDS = 300;
export const REQUEST_NONCE_SIZE = 16;

export interface RequestParts {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly target: string;
  readonly time: number;
  /** Lower-case hex of 16 bytes. */
  readonly nonceHex: string;
  readonly body: Uint8Array | string | undefined;
}

const text = (value: string, what: string): Buffer => {
  if (value.includes('\u0000') || !/^[\x20-\x7e]*$/.test(value)) {
    throw new ProtocolError('bad_value', what, 'must be printable ASCII');
  }
  return Buffer.from(value, 'ascii');
};

const bodyBytes = (body: Uint8Array | string | undefined): Uint8Array =>
  body === undefined
    ? new Uint8Array(0)
    : typeof body === 'string'
      ? Buffer.from(body, 'utf8')
      : body;

/** The exact bytes a request signature covers. */
export function canonicalRequest(kind: RequestSignerKind, parts: RequestParts): Uint8Array {
  if (!Number.isSafeInteger(parts.time) || parts.time < 0) {
    throw new ProtocolError('bad_value', 'time', 'must be unix seconds');
  }
  const zero = Buffer.of(0);
  return Buffer.concat([
    Buffer.from(REQUEST_DOMAINS[kind], 'ascii'),
    zero,
    text(parts.method.toUpperCase(), 'method'),
    zero,
    text(parts.target, 'target'),
    zero,
    Buffer.from(String(parts.time), 'ascii'),
    zero,
    text(parts.nonceHex, 'nonce'),
    zero,
    sha256(bodyBytes(parts.body)),
  ]);
}

export function verifyRequestSignature(
  kind: RequestSignerKind,
  publicKey: KeyObject,
  parts: RequestParts,
  signature: Uint8Array,
): boolean {
  return verifyP1363(publicKey, canonicalRequest(kind, parts), signature);
}

export interface SignRequestInput {
  readonly kind: RequestSignerKind;
  /** walletId as 32 lower-case hex, or the terminal id. */
  readonly callerId: string;
  readonly key: SigningKey;
  readonly method: string;
  readonly target: string;
  readonly body?: Uint8Array | string;
  /** The caller's clock, unix seconds. */
  readonly time: number;
  /** Fixed only in tests; a fresh random nonce otherwise. */
  readonly nonce?: Uint8Array;
}

/** Client side: the headers that authenticate one request. Send the body bytes unchanged. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const nonceHex = Buffer.from(input.nonce ?? randomBytes(REQUEST_NONCE_SIZE)).toString('hex');
  const parts: RequestParts = {
    method: input.method,
    target: input.target,
    time: input.time,
    nonceHex,
    body: input.body,
  };
  const signature = signP1363(input.key, canonicalRequest(input.kind, parts));
  return {
    [REQUEST_HEADERS[input.kind]]: input.callerId,
    [REQUEST_HEADERS.time]: String(input.time),
    [REQUEST_HEADERS.nonce]: nonceHex,
    [REQUEST_HEADERS.signature]: Buffer.from(signature).toString('hex'),
  };
}
