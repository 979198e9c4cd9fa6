// The optional PC/SC stack: a missing, unbuilt or unloadable nfc-pcsc becomes one state with
// one line naming what is missing and how to get it on each system, never a thrown error.
import { describe, expect, it } from 'vitest';
import { loadPcscStack, PCSC_INSTALL_HINT } from '../../main/terminal/reader/pcsc/load';

const failing = (message: string, code?: string) => (): never => {
  throw Object.assign(new Error(message), code === undefined ? {} : { code });
};

describe('loadPcscStack', () => {
  it('names a package npm skipped, with the way to get it everywhere', () => {
    const stack = loadPcscStack(
      failing("Cannot find module '@pokusew/pcsclite'\nRequire stack:\n- x.js", 'MODULE_NOT_FOUND'),
    );
    expect(stack.available).toBe(false);
    if (stack.available) return;
    expect(stack.reason).toMatch(/^@pokusew\/pcsclite is not installed/);
    expect(stack.notice).toBe(`PC/SC unavailable: ${stack.reason}. ${PCSC_INSTALL_HINT}`);
    expect(stack.notice).not.toContain('\n');
    for (const system of [
      'Debian/Ubuntu: sudo apt-get install pcscd libpcsclite-dev',
      'macOS',
      'Windows',
    ]) {
      expect(stack.notice).toContain(system);
    }
  });

  it('tells an installed but unbuilt binding from a missing one', () => {
    const stack = loadPcscStack(
      failing('Could not locate the bindings file. Tried:\n → /x/build/pcsclite.node'),
    );
    expect(stack.available || stack.reason).toBe('@pokusew/pcsclite is installed but not built');
  });

  it('keeps the first line of any other load failure (a missing system library)', () => {
    const stack = loadPcscStack(
      failing('libpcsclite.so.1: cannot open shared object file: No such file or directory\nmore'),
    );
    expect(stack.available || stack.reason).toBe(
      'the PC/SC binding does not load (libpcsclite.so.1: cannot open shared object file: No such file or directory)',
    );
  });

  it('hands back the module when it loads', () => {
    const module = { NFC: class {} };
    const stack = loadPcscStack((id) => (id === 'nfc-pcsc' ? module : undefined));
    expect(stack).toEqual({ available: true, nfcPcsc: module });
  });
});
