/**
 * The FCI a wallet answers to SELECT: 6F { DF01 protocolVersion, DF2E walletState,
 * DF03 walletId }. It tells a terminal, in the very first exchange, which wallet this is
 * and whether it can pay at all, and it stays tiny: nfc-pcsc reads SELECT answers into a
 * 40-byte buffer, so data + SW must never exceed 40 bytes.
 */
import { ProtocolError } from '../errors';
import type { Element } from '../codec/elements';
import { encodeTlv, readTlvHeader, tagHex } from '../codec/tlv';
import { F } from '../objects/fields';
import type { WalletState } from '../objects/wallet-states';

export const FCI_TAG = 0x6f;
/** The most SELECT response data nfc-pcsc accepts (40-byte buffer minus SW1 SW2). */
export const MAX_FCI_SIZE = 38;

export { WALLET_STATES, type WalletState } from '../objects/wallet-states';

export const WALLET_STATE_TAG = F.walletState.tag;
export const walletStateField = F.walletState;

export interface Fci {
  protocolVersion: number;
  walletState: WalletState;
  /** 16 bytes; absent before activation, optional once wiped, present in every other state. */
  walletId?: Uint8Array;
}

/** Whether DF03 must, may or must not appear for a state. */
function walletIdRule(state: WalletState): 'required' | 'optional' | 'forbidden' {
  if (state === 'not_activated') return 'forbidden';
  // A wipe may erase the identity with everything else; keeping it lets a terminal say which.
  if (state === 'wiped') return 'optional';
  return 'required';
}

function checkWalletIdPresence(state: WalletState, present: boolean): void {
  const rule = walletIdRule(state);
  if ((rule === 'forbidden' && present) || (rule === 'required' && !present)) {
    throw new ProtocolError(
      'bad_value',
      'fci.walletId',
      `must be ${rule === 'forbidden' ? 'absent' : 'present'} when the wallet is ${state}`,
    );
  }
}

export function encodeFci(fci: Fci): Uint8Array {
  if (typeof fci !== 'object' || fci === null)
    throw new ProtocolError('bad_value', 'fci', 'must be an object');
  const parts = [
    F.protocolVersion.write(fci.protocolVersion, 'fci.protocolVersion'),
    walletStateField.write(fci.walletState, 'fci.walletState'),
  ];
  checkWalletIdPresence(fci.walletState, fci.walletId !== undefined);
  if (fci.walletId !== undefined) parts.push(F.walletId.write(fci.walletId, 'fci.walletId'));
  return encodeTlv(FCI_TAG, Buffer.concat(parts), 'fci');
}

export function decodeFci(bytes: Uint8Array): Fci {
  if (!(bytes instanceof Uint8Array))
    throw new ProtocolError('bad_value', 'fci', 'not a byte array');
  if (bytes.length > MAX_FCI_SIZE) {
    throw new ProtocolError(
      'length_too_large',
      'fci',
      `${bytes.length} bytes, at most ${MAX_FCI_SIZE}`,
    );
  }
  const outer = readTlvHeader(bytes, 0, bytes.length, 'fci');
  if (outer.tag !== FCI_TAG)
    throw new ProtocolError('bad_tag', 'fci', `expected 6F, got ${tagHex(outer.tag)}`);
  if (outer.end !== bytes.length) {
    throw new ProtocolError(
      'trailing_bytes',
      'fci',
      `${bytes.length - outer.end} bytes after the FCI`,
    );
  }

  let pos = outer.valueStart;
  const next = <T>(element: Element<T>, field: string): T => {
    const header = readTlvHeader(bytes, pos, outer.end, field);
    if (header.tag !== element.tag) {
      throw new ProtocolError(
        'bad_tag',
        field,
        `expected ${tagHex(element.tag)}, got ${tagHex(header.tag)}`,
      );
    }
    pos = header.end;
    return element.read(bytes, header.valueStart, header.end, field);
  };

  const protocolVersion = next(F.protocolVersion, 'fci.protocolVersion');
  const walletState = next(walletStateField, 'fci.walletState');
  const fci: Fci = { protocolVersion, walletState };
  if (pos < outer.end) fci.walletId = next(F.walletId, 'fci.walletId');
  if (pos !== outer.end) {
    throw new ProtocolError(
      'trailing_bytes',
      'fci',
      `${outer.end - pos} bytes after the last field`,
    );
  }
  checkWalletIdPresence(walletState, fci.walletId !== undefined);
  return fci;
}
