/**
 * The terminal's client of the platform (docs/protocol.md §7.1, §10): enrollment (unsigned),
 * then terminal-signed calls for its own view, certificate renewal, the hotlist and
 * settlement upload. Every failure is a TerminalError: network, timeout, refused (the
 * platform's code in `details.platformCode`), rate_limited, server_error, bad_response,
 * not_enrolled (a signed call before the terminal has credentials).
 */
import type { z } from 'zod';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';
import { badResponse, TerminalHttp, type TerminalCredentials } from './http';
import {
  EnrollAnswer,
  RenewAnswer,
  TerminalInfoAnswer,
  type Enrollment,
  type RenewedCertificate,
  type TerminalInfo,
} from './shapes';

export interface PlatformClientOptions {
  readonly baseUrl: string;
  readonly clock: TerminalClock;
  /** Per request; default 15 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Who signs: undefined until the terminal is enrolled. */
  readonly credentials: () => TerminalCredentials | undefined;
}

export interface PlatformClient {
  readonly baseUrl: string;
  enroll(code: string, publicKey: Uint8Array): Promise<Enrollment>;
  /** GET /v1/terminals/{terminalId}: status, parameters, trust keys (also while suspended). */
  terminalInfo(): Promise<TerminalInfo>;
  renewCertificate(): Promise<RenewedCertificate>;
  /** The signed full hotlist envelope, not yet verified. */
  hotlistFull(): Promise<Uint8Array>;
  /** The signed hotlist since `since` (a delta, or a full list when the platform decides). */
  hotlistDelta(since: number): Promise<Uint8Array>;
  /** The signed settlement-batch envelope in; the signed settlement-result envelope out. */
  uploadBatch(envelope: Uint8Array): Promise<Uint8Array>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const http = new TerminalHttp({
    baseUrl: options.baseUrl,
    clock: options.clock,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetch: options.fetch ?? fetch,
  });
  const credentials = (): TerminalCredentials => {
    const found = options.credentials();
    if (found === undefined) {
      throw new TerminalError('not_enrolled', 'this terminal is not enrolled with the platform');
    }
    return found;
  };
  const parse = <S extends z.ZodType>(schema: S, value: unknown, target: string): z.output<S> => {
    const result = schema.safeParse(value);
    if (!result.success) throw badResponse(target, 200, result.error.issues[0]?.message ?? '');
    return result.data;
  };
  const own = (terminalId: string) => `/v1/terminals/${encodeURIComponent(terminalId)}`;

  return {
    baseUrl: options.baseUrl,
    async enroll(code, publicKey) {
      const target = '/v1/terminals/enroll';
      const answer = await http.call({
        method: 'POST',
        target,
        body: { json: { code, publicKey: Buffer.from(publicKey).toString('hex') } },
        expect: 'json',
      });
      return parse(EnrollAnswer, answer, target);
    },
    async terminalInfo() {
      const signer = credentials();
      const target = own(signer.terminalId);
      const answer = await http.call({
        method: 'GET',
        target,
        credentials: signer,
        expect: 'json',
      });
      return parse(TerminalInfoAnswer, answer, target);
    },
    async renewCertificate() {
      const signer = credentials();
      const target = `${own(signer.terminalId)}/certificate`;
      // An empty JSON object: the route reads a POST without a body as `null`, which it refuses.
      const answer = await http.call({
        method: 'POST',
        target,
        body: { json: {} },
        credentials: signer,
        expect: 'json',
      });
      return parse(RenewAnswer, answer, target);
    },
    async hotlistFull() {
      return await http.call({
        method: 'GET',
        target: '/v1/hotlist',
        credentials: credentials(),
        expect: 'bytes',
      });
    },
    async hotlistDelta(since) {
      if (!Number.isSafeInteger(since) || since < 0) {
        throw new TerminalError('bad_value', `no hotlist version ${since}`);
      }
      return await http.call({
        method: 'GET',
        target: `/v1/hotlist/delta?since=${since}`,
        credentials: credentials(),
        expect: 'bytes',
      });
    },
    async uploadBatch(envelope) {
      return await http.call({
        method: 'POST',
        target: '/v1/settlement/batches',
        body: { bytes: envelope },
        credentials: credentials(),
        expect: 'bytes',
      });
    },
  };
}
