/**
 * An enrolled terminal with its enrollment and sync services, over the real platform, with
 * a seam in its platform client: calls are recorded, hotlist answers can be replaced, and
 * the platform can be made unreachable. Timers are recorded, not run.
 */
import { join } from 'node:path';
import { createEnrollmentService, type EnrollmentService } from '../../../main/terminal/enrollment';
import { createPlatformClient, type PlatformClient } from '../../../main/terminal/platform-client';
import { createSyncService, type SyncService, type SyncTimers } from '../../../main/terminal/sync';
import type { TestPlatform } from './platform';
import { terminalFiles, type TerminalFiles } from './terminal';

export interface Seam {
  calls: string[];
  /** Rewrites each hotlist answer (full or delta) before the terminal sees it. */
  hotlist?: (envelope: Uint8Array, call: string) => Uint8Array;
  down: boolean;
}

export interface SyncedTerminal {
  readonly files: TerminalFiles;
  readonly enrollment: EnrollmentService;
  readonly sync: SyncService;
  readonly seam: Seam;
  readonly timers: { ms: number; fire: () => void; cleared: boolean }[];
  readonly events: { event: string; payload: unknown }[];
  /** A new sync service over the same files (a restart). */
  restart(): SyncService;
}

function seamed(client: PlatformClient, seam: Seam): PlatformClient {
  const through = async <T>(call: string, work: () => Promise<T>): Promise<T> => {
    seam.calls.push(call);
    return work();
  };
  const hotlist = (call: string, bytes: Uint8Array) => seam.hotlist?.(bytes, call) ?? bytes;
  return {
    baseUrl: client.baseUrl,
    enroll: (code, key) => through('enroll', () => client.enroll(code, key)),
    terminalInfo: () => through('terminalInfo', () => client.terminalInfo()),
    renewCertificate: () => through('renewCertificate', () => client.renewCertificate()),
    hotlistFull: () =>
      through('hotlistFull', async () => hotlist('full', await client.hotlistFull())),
    hotlistDelta: (since) =>
      through(`hotlistDelta:${since}`, async () =>
        hotlist('delta', await client.hotlistDelta(since)),
      ),
    uploadBatch: (envelope) => through('uploadBatch', () => client.uploadBatch(envelope)),
  };
}

export async function syncedTerminal(
  platform: TestPlatform,
  terminalId: string,
  options: { parameters?: Record<string, unknown> } = {},
): Promise<SyncedTerminal> {
  const files = terminalFiles();
  const seam: Seam = { calls: [], down: false };
  const timers: SyncedTerminal['timers'] = [];
  const events: SyncedTerminal['events'] = [];
  const fakeTimers: SyncTimers = {
    setTimeout(fire, ms) {
      const timer = { ms, fire, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  const enrollment = createEnrollmentService({
    store: files.store,
    dataDir: files.dir,
    clock: platform.clock,
    platformClient: (baseUrl, credentials) =>
      seamed(
        createPlatformClient({
          baseUrl,
          clock: platform.clock,
          credentials,
          fetch: (input, init) =>
            seam.down ? fetch('http://127.0.0.1:1/', init) : fetch(input, init),
        }),
        seam,
      ),
  });
  const code = await platform.enrollmentCode(terminalId, options);
  await enrollment.enroll({ platformUrl: platform.url, code });
  const newSync = () =>
    createSyncService({
      store: files.store,
      enrollment,
      hotlistPath: join(files.dir, 'hotlist.bin'),
      clock: platform.clock,
      timers: fakeTimers,
      publish: (event, payload) => events.push({ event, payload }),
    });
  return { files, enrollment, sync: newSync(), seam, timers, events, restart: newSync };
}
