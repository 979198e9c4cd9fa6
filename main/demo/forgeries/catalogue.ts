/**
 * The demo's forged cards, one per decline that only a tampered (or foreign) card can
 * cause. Each is a demo phone whose answers are rewritten at the byte level through the
 * protocol's own builders, or a card that is no wallet at all; the terminal's real
 * checkout decides. A few cannot be forged without the platform's key (an expired, a stricter or
 * foreign-currency certificate, a token from the future or one ahead of the wallet's own
 * counter): a thief could never make them, but a clone holding the original's newer token,
 * an old certificate or a platform with a wrong clock present exactly these bytes, so the
 * demo signs them with its own platform's issuer key.
 */
import {
  decodeFci,
  decodePaymentLog,
  encodeFci,
  FreshnessToken,
  generateSigningKey,
  INS,
  keyIdOf,
  P2_CERTIFICATE,
  P2_FRESHNESS,
  readLogCommand,
  selectCommand,
  SW,
  WalletCertificate,
  type CommandApdu,
  type ResponseApdu,
  type SigningKey,
} from '../../../protocol';
import type { Card } from '../../../handset';
import type { DemoForgery } from '../../../preload/contract';
import type { DeclineCode } from '../../../preload/contract/declines';
import { wholeAnswer, type Intercepted, type Tamper } from './card';

/** The demo platform's signing issuer key. */
export interface IssuerSigner {
  readonly keyId: Uint8Array;
  readonly signingKey: SigningKey;
}

/** What a forgery may use besides the phone it wraps. */
export interface ForgeryMaterials {
  readonly issuer: IssuerSigner;
  /** Another activated, powered demo phone (only `other_wallet_certificate` asks for one). */
  readonly donor?: Card;
}

export interface ForgeryDefinition {
  /** What the terminal must decline it with. */
  readonly decline: DeclineCode;
  /** `none`: a card of its own (no phone behind it). */
  readonly wraps: 'phone' | 'none';
  /** `earlier_payment`: replays a record, so the phone must have paid once before. */
  readonly needs?: 'earlier_payment' | 'second_phone';
  tamper(materials: ForgeryMaterials): Tamper;
}

const DAY = 86_400;
const EMPTY = new Uint8Array(0);
/** P1363 r||s at the end of every envelope (protocol/objects/signed.ts). */
const SIGNATURE_SIZE = 64;

const isSelect = (c: CommandApdu) => c.ins === INS.select;
const isPresent = (c: CommandApdu) => c.ins === INS.presentTerminalCertificate;
const isPay = (c: CommandApdu) => c.ins === INS.pay;
const isRead = (c: CommandApdu, p2: number) => c.ins === INS.readObject && c.p2 === p2;

/** The genuine answer, rewritten by `change` when the command matches and it succeeded. */
function rewrite(
  matches: (command: CommandApdu) => boolean,
  change: (answer: ResponseApdu, intercepted: Intercepted) => ResponseApdu,
): Tamper {
  return (intercepted) => {
    const answer = intercepted.forward();
    if (!matches(intercepted.command) || answer.sw !== SW.ok) return answer;
    return change(answer, intercepted);
  };
}

/** The terminal's command refused with `sw`, without asking the phone. */
function refuse(matches: (command: CommandApdu) => boolean, sw: number): Tamper {
  return (intercepted) =>
    matches(intercepted.command) ? { data: EMPTY, sw } : intercepted.forward();
}

/** One bit of the signature's r changed: the envelope still decodes, it no longer verifies. */
function flipSignature(answer: ResponseApdu): ResponseApdu {
  const data = new Uint8Array(answer.data);
  const at = data.length - SIGNATURE_SIZE + 8;
  data[at] = (data[at] ?? 0) ^ 0x01;
  return { data, sw: answer.sw };
}

function fci(change: (genuine: ReturnType<typeof decodeFci>) => Parameters<typeof encodeFci>[0]) {
  return rewrite(isSelect, (answer) => ({
    data: encodeFci(change(decodeFci(answer.data))),
    sw: SW.ok,
  }));
}

function certificate(
  change: (c: WalletCertificate) => Partial<WalletCertificate>,
  key: () => IssuerSigner,
) {
  return rewrite(
    (c) => isRead(c, P2_CERTIFICATE),
    (answer) => {
      const genuine = WalletCertificate.decode(answer.data).value;
      const signer = key();
      const value = { ...genuine, issuerKeyId: signer.keyId, ...change(genuine) };
      return { data: WalletCertificate.sign(value, signer.signingKey).encoded, sw: SW.ok };
    },
  );
}

function token(change: (t: FreshnessToken) => Partial<FreshnessToken>, issuer: IssuerSigner) {
  return rewrite(
    (c) => isRead(c, P2_FRESHNESS),
    (answer) => {
      const genuine = FreshnessToken.decode(answer.data).value;
      const value = { ...genuine, ...change(genuine) };
      return { data: FreshnessToken.sign(value, issuer.signingKey).encoded, sw: SW.ok };
    },
  );
}

function strangerIssuer(): IssuerSigner {
  const signingKey = generateSigningKey();
  return { keyId: keyIdOf(signingKey.publicKey), signingKey };
}

export const FORGERIES: Readonly<Record<DemoForgery, ForgeryDefinition>> = {
  // A transit card: no Tapsafe applet answers the SELECT.
  transit_card: {
    decline: 'not_a_wallet',
    wraps: 'none',
    tamper: () => (i) => ({
      data: EMPTY,
      sw: isSelect(i.command) ? SW.application_not_found : SW.unknown_instruction,
    }),
  },
  future_protocol: {
    decline: 'unsupported_wallet',
    wraps: 'phone',
    tamper: () => fci((genuine) => ({ ...genuine, protocolVersion: genuine.protocolVersion + 1 })),
  },
  // A phone whose wallet was never activated: an FCI without a wallet id, 9F0A to the rest.
  blank_wallet: {
    decline: 'wallet_not_activated',
    wraps: 'none',
    tamper: () => (i) =>
      isSelect(i.command)
        ? { data: encodeFci({ protocolVersion: 1, walletState: 'not_activated' }), sw: SW.ok }
        : { data: EMPTY, sw: SW.not_activated },
  },
  disabled_wallet: {
    decline: 'wallet_disabled',
    wraps: 'phone',
    tamper: () => fci((genuine) => ({ ...genuine, walletState: 'disabled' })),
  },
  unknown_issuer: {
    decline: 'unknown_issuer',
    wraps: 'phone',
    tamper: () => {
      const stranger = strangerIssuer();
      return certificate(
        () => ({}),
        () => stranger,
      );
    },
  },
  certificate_flipped: {
    decline: 'certificate_invalid',
    wraps: 'phone',
    tamper: () => rewrite((c) => isRead(c, P2_CERTIFICATE), flipSignature),
  },
  certificate_expired: {
    decline: 'certificate_expired',
    wraps: 'phone',
    tamper: ({ issuer }) =>
      certificate(
        (genuine) => ({
          validFrom: genuine.validFrom - 366 * DAY,
          validUntil: genuine.validFrom - 1,
        }),
        () => issuer,
      ),
  },
  // A certificate with a lower per-payment limit than the terminal's (a stricter policy).
  strict_limit_certificate: {
    decline: 'over_payment_limit',
    wraps: 'phone',
    tamper: ({ issuer }) =>
      certificate(
        () => ({ limitPerPayment: 100 }),
        () => issuer,
      ),
  },
  foreign_currency: {
    decline: 'currency_mismatch',
    wraps: 'phone',
    tamper: ({ issuer }) =>
      certificate(
        (genuine) => ({ currency: genuine.currency === 840 ? 978 : 840 }),
        () => issuer,
      ),
  },
  // Another wallet's genuine certificate, read from a second phone in the same session.
  other_wallet_certificate: {
    decline: 'wallet_mismatch',
    wraps: 'phone',
    needs: 'second_phone',
    tamper:
      ({ donor }) =>
      (i) => {
        if (donor !== undefined && isPresent(i.command)) {
          donor.present();
          wholeAnswer(donor, selectCommand());
          wholeAnswer(donor, i.raw);
        }
        if (donor !== undefined && isRead(i.command, P2_CERTIFICATE))
          return wholeAnswer(donor, i.raw);
        return i.forward();
      },
  },
  freshness_flipped: {
    decline: 'freshness_invalid',
    wraps: 'phone',
    tamper: () => rewrite((c) => isRead(c, P2_FRESHNESS), flipSignature),
  },
  freshness_future: {
    decline: 'freshness_future',
    wraps: 'phone',
    tamper: ({ issuer }) => token((genuine) => ({ syncTime: genuine.syncTime + 7 * DAY }), issuer),
  },
  record_flipped: {
    decline: 'record_invalid',
    wraps: 'phone',
    tamper: () => rewrite(isPay, flipSignature),
  },
  // PAY answered with the phone's previous record: genuinely signed, for another sale.
  echo_previous_sale: {
    decline: 'echo_mismatch',
    wraps: 'phone',
    needs: 'earlier_payment',
    tamper: () => (i) => {
      if (!isPay(i.command)) return i.forward();
      const log = i.forward(readLogCommand(1));
      const previous = log.sw === SW.ok ? decodePaymentLog(log.data, 1)[0] : undefined;
      return previous === undefined ? log : { data: previous.encoded, sw: SW.ok };
    },
  },
  // A clone behind the original: it shows the original's newer token (a higher counter).
  clone_with_newer_token: {
    decline: 'replayed_counter',
    wraps: 'phone',
    tamper: ({ issuer }) => token((genuine) => ({ counter: genuine.counter + 100 }), issuer),
  },
  truncated_answer: {
    decline: 'malformed_answer',
    wraps: 'phone',
    tamper: () =>
      rewrite(
        (c) => isRead(c, P2_CERTIFICATE),
        (answer) => ({ data: answer.data.subarray(0, answer.data.length >> 1), sw: SW.ok }),
      ),
  },
  refuses_terminal: {
    decline: 'terminal_certificate_refused',
    wraps: 'phone',
    tamper: () => refuse(isPresent, SW.terminal_certificate_invalid),
  },
  // A phone that heard of this terminal's suspension from a platform notice.
  heard_suspension: {
    decline: 'terminal_suspended',
    wraps: 'phone',
    tamper: () => refuse(isPresent, SW.terminal_suspended),
  },
  card_fault: {
    decline: 'card_error',
    wraps: 'phone',
    tamper: () => refuse((c) => isRead(c, P2_CERTIFICATE), SW.internal_error),
  },
};
