/**
 * Enrollment (docs/protocol.md §7.1 steps 1–3): the terminal makes its P-256 key here, sends
 * the public half with the operator's code, checks the certificate it gets back (under a
 * returned trust key, naming its own key, merchant and terminal) BEFORE storing anything,
 * then seals the private key into its file and stores identity, trust keys and parameters
 * in the ledger. It also hands the other services the identity (with its signer, read
 * once from the key file) and the credentials for signed platform requests.
 */
import { generateSigningKey, TerminalCertificate, type SigningKey } from '../../../protocol';
import type { TerminalStore } from '../../../db/terminal-store';
import { TerminalError } from '../errors';
import type { TerminalClock, TerminalIdentity } from '../model';
import {
  createPlatformClient,
  type PlatformClient,
  type TerminalCredentials,
} from '../platform-client';
import type { EnrollmentPublish } from './events';
import type { EnrollmentStatus } from './status';
import { fileKeySealer, keyFilePath, readKeyFile, writeKeyFile, type KeySealer } from './key-file';
import { verifyTerminalCertificate } from './trust';

export interface EnrollmentDeps {
  readonly store: TerminalStore;
  /** The folder of the ledger; the sealed key file goes beside it. */
  readonly dataDir: string;
  readonly clock: TerminalClock;
  /** Default: fileKeySealer (a 0600 file, not encrypted). */
  readonly sealer?: KeySealer;
  readonly publish?: EnrollmentPublish;
  /** Default: createPlatformClient over fetch. */
  readonly platformClient?: (
    baseUrl: string,
    credentials: () => TerminalCredentials | undefined,
  ) => PlatformClient;
}

export interface EnrollmentService {
  /** Enrolls with the operator's code; refusals are TerminalErrors (see codes in errors). */
  enroll(input: { platformUrl: string; code: string }): Promise<EnrollmentStatus>;
  status(): EnrollmentStatus;
  /** Who the terminal is, with its signer and the certificate to present now. */
  identity(): TerminalIdentity | undefined;
  /** For signed platform requests; undefined before enrollment. */
  credentials(): TerminalCredentials | undefined;
  /** A platform client for the enrolled terminal (its URL and credentials). */
  platform(): PlatformClient;
  /**
   * The same platform at a new address (the demo's embedded one gets a new port at each
   * start): the identity, keys and certificates stay; signed requests go there from now.
   */
  movePlatform(platformUrl: string): void;
}

const CODE_SHAPE = /^[\x21-\x7e]{8,64}$/;

export function createEnrollmentService(deps: EnrollmentDeps): EnrollmentService {
  const sealer = deps.sealer ?? fileKeySealer;
  const clientFor =
    deps.platformClient ??
    ((baseUrl, credentials) => createPlatformClient({ baseUrl, clock: deps.clock, credentials }));
  const keyPath = keyFilePath(deps.dataDir);
  let signer: SigningKey | undefined;
  let client: PlatformClient | undefined;

  const loadSigner = (): SigningKey => {
    signer ??= readKeyFile(keyPath, sealer);
    return signer;
  };

  const service: EnrollmentService = {
    async enroll({ platformUrl, code }) {
      if (deps.store.identity() !== undefined) {
        throw new TerminalError('already_enrolled', 'this terminal is already enrolled');
      }
      let url: URL;
      try {
        url = new URL(platformUrl);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      } catch {
        throw new TerminalError('bad_value', `"${platformUrl}" is not an http(s) address`);
      }
      if (!CODE_SHAPE.test(code)) {
        throw new TerminalError('bad_value', 'an enrollment code is 8 to 64 printable characters');
      }
      const key = generateSigningKey();
      const answer = await clientFor(url.origin, () => undefined).enroll(code, key.publicKey);
      const now = deps.clock.now();
      const certificate = verifyTerminalCertificate(answer.certificate, {
        trustKeys: answer.trustKeys,
        publicKey: key.publicKey,
        merchantId: answer.merchantId,
        terminalId: answer.terminalId,
        now,
      });
      writeKeyFile(keyPath, key, sealer);
      deps.store.enroll({
        merchantId: answer.merchantId,
        terminalId: answer.terminalId,
        publicKey: key.publicKey,
        platformUrl: url.origin,
        enrolledAt: now,
        parameters: answer.parameters,
        trustKeys: answer.trustKeys,
        certificate: {
          serial: certificate.value.serial,
          envelope: certificate.encoded,
          validFrom: certificate.value.validFrom,
          validUntil: certificate.value.validUntil,
        },
      });
      signer = key;
      client = undefined;
      const status = service.status();
      deps.publish?.('enrollment.status', status);
      return status;
    },

    status() {
      const identity = deps.store.identity();
      if (identity === undefined) return { state: 'unenrolled' };
      const now = deps.clock.now();
      const stored = deps.store.certificate(now);
      return {
        state: 'enrolled',
        merchantId: identity.merchantId,
        terminalId: identity.terminalId,
        platformUrl: identity.platformUrl,
        enrolledAt: identity.enrolledAt,
        suspended: identity.suspended,
        certificate:
          stored === undefined
            ? undefined
            : {
                serial: stored.serial,
                validFrom: stored.validFrom,
                validUntil: stored.validUntil,
                valid: stored.validFrom <= now && now <= stored.validUntil,
              },
        keyProtection: sealer.kind,
      };
    },

    identity() {
      const identity = deps.store.identity();
      const stored = deps.store.certificate(deps.clock.now());
      if (identity === undefined || stored === undefined) return undefined;
      return {
        merchantId: identity.merchantId,
        terminalId: identity.terminalId,
        certificate: TerminalCertificate.decode(stored.envelope),
        signer: loadSigner(),
      };
    },

    credentials() {
      const identity = deps.store.identity();
      if (identity === undefined) return undefined;
      return { terminalId: identity.terminalId, key: loadSigner() };
    },

    movePlatform(platformUrl) {
      let url: URL;
      try {
        url = new URL(platformUrl);
      } catch {
        throw new TerminalError('bad_value', `"${platformUrl}" is not an http(s) address`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TerminalError('bad_value', `"${platformUrl}" is not an http(s) address`);
      }
      if (deps.store.identity() === undefined) {
        throw new TerminalError('not_enrolled', 'this terminal is not enrolled with the platform');
      }
      deps.store.setPlatformUrl(url.origin);
      client = undefined;
    },

    platform() {
      const identity = deps.store.identity();
      if (identity === undefined) {
        throw new TerminalError('not_enrolled', 'this terminal is not enrolled with the platform');
      }
      client ??= clientFor(identity.platformUrl, () => service.credentials());
      return client;
    },
  };
  return service;
}
