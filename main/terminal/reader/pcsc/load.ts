/**
 * nfc-pcsc (and @pokusew/pcsclite, its native binding, under it) are optional dependencies:
 * the binding compiles against winscard.h, which a machine with only Node and npm lacks, and
 * npm then skips them. So nothing imports nfc-pcsc at module level; it is loaded here, on
 * first use, and a missing or unbuilt module becomes one state with one line saying what is
 * missing and how to get it. The emulated readers and demo mode need none of it.
 */
import { createRequire } from 'node:module';
import type * as NfcPcsc from 'nfc-pcsc';

export type NfcPcscModule = typeof NfcPcsc;

export type PcscStack =
  | { readonly available: true; readonly nfcPcsc: NfcPcscModule }
  | {
      readonly available: false;
      /** What is missing, e.g. "@pokusew/pcsclite is not built". */
      readonly reason: string;
      /** The one line to show: "PC/SC unavailable: <reason>. <how to get it>". */
      readonly notice: string;
    };

/** How to get the PC/SC stack, on each system a terminal runs on. */
export const PCSC_INSTALL_HINT =
  'Debian/Ubuntu: sudo apt-get install pcscd libpcsclite-dev, then npm rebuild @pokusew/pcsclite; ' +
  'macOS: PC/SC is built in, reinstall the dependencies (npm install); ' +
  'Windows: PC/SC is built in, reinstall the dependencies and make sure the Smart Card service runs';

export function pcscUnavailableNotice(reason: string): string {
  return `PC/SC unavailable: ${reason}. ${PCSC_INSTALL_HINT}`;
}

/** Why loading failed, in words a merchant's technician can act on. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const missing = /'(nfc-pcsc|@pokusew\/pcsclite)'/.exec(message)?.[1];
    return missing === undefined
      ? `a module nfc-pcsc needs is not installed (${firstLine(message)})`
      : `${missing} is not installed (npm skips it where its native build fails: no winscard.h)`;
  }
  // `bindings` found no pcsclite.node: the package is there, its install script never ran.
  if (message.includes('Could not locate the bindings file')) {
    return '@pokusew/pcsclite is installed but not built';
  }
  // Built, but the system library is gone (libpcsclite.so.1) or built for another Node.
  return `the PC/SC binding does not load (${firstLine(message)})`;
}

const firstLine = (text: string): string => text.split('\n', 1)[0]?.trim() ?? '';

export type ModuleLoader = (id: string) => unknown;

const requireFromHere: ModuleLoader = (id) => createRequire(import.meta.url)(id);

/** Loads nfc-pcsc now, or says why it cannot; never throws. Tests pass their own loader. */
export function loadPcscStack(load: ModuleLoader = requireFromHere): PcscStack {
  try {
    return { available: true, nfcPcsc: load('nfc-pcsc') as NfcPcscModule };
  } catch (error) {
    const reason = reasonOf(error);
    return { available: false, reason, notice: pcscUnavailableNotice(reason) };
  }
}

let loaded: PcscStack | undefined;

/** The process's PC/SC stack, loaded once on first call (a failed load is not retried). */
export function pcscStack(): PcscStack {
  loaded ??= loadPcscStack();
  return loaded;
}
