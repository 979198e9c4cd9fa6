/**
 * The settlement tests' upload: the terminal's real platform client (terminal-signed POST
 * /v1/settlement/batches), built per call because a restarted platform (or a proxy in front
 * of it) may answer on another address.
 */
import type { SigningKey } from '../../../protocol';
import type { TerminalClock } from '../../../main/terminal/model';
import { createPlatformClient } from '../../../main/terminal/platform-client';

export interface UploadTransportOptions {
  readonly baseUrl: () => string;
  readonly terminalId: string;
  readonly key: SigningKey;
  readonly clock: TerminalClock;
}

export function signedUpload(options: UploadTransportOptions) {
  return (envelope: Uint8Array): Promise<Uint8Array> =>
    createPlatformClient({
      baseUrl: options.baseUrl(),
      clock: options.clock,
      timeoutMs: 5_000,
      credentials: () => ({ terminalId: options.terminalId, key: options.key }),
    }).uploadBatch(envelope);
}
