/**
 * The applet's front door: turns a parsed command into what it asks for, or into the
 * status word to refuse it with. Checks run in ISO order — class, instruction, P1/P2,
 * lengths, then data — so every malformed command gets the same answer on every phone.
 * Signed data is decoded here but not verified: verifying needs keys, which is the
 * applet's business.
 */
import { isProtocolError, ProtocolError } from '../errors';
import type { Signed } from '../objects/signed';
import { Notification } from '../objects/platform';
import { PaymentRequest, TerminalCertificate } from '../objects/wallet';
import { parseCommandApdu, type CommandApdu } from './command';
import {
  AID,
  CLA_ISO,
  CLA_PROPRIETARY,
  INS,
  MAX_LOG_RECORDS,
  P1_SELECT_BY_NAME,
  P2_CERTIFICATE,
  P2_FRESHNESS,
} from './commands';
import { SW } from './status';

export type WalletCommand =
  | { kind: 'select' }
  | { kind: 'read_certificate' }
  | { kind: 'read_freshness' }
  | { kind: 'pay'; request: Signed<PaymentRequest> }
  | { kind: 'read_log'; count: number }
  | { kind: 'deliver'; notification: Signed<Notification> }
  | { kind: 'present_terminal_certificate'; certificate: Signed<TerminalCertificate> }
  | { kind: 'get_response'; le: number };

export interface Refusal {
  kind: 'refused';
  /** The status word to answer, with no data. */
  sw: number;
  /** Why, for logs; never sent. */
  reason: string;
}

export type Classified = WalletCommand | Refusal;

const refuse = (sw: number, reason: string): Refusal => ({ kind: 'refused', sw, reason });

/** Which class each instruction belongs to; an instruction of the other class is 6E00. */
const CLASS_OF: ReadonlyMap<number, number> = new Map([
  [INS.select, CLA_ISO],
  [INS.getResponse, CLA_ISO],
  [INS.readObject, CLA_PROPRIETARY],
  [INS.pay, CLA_PROPRIETARY],
  [INS.readLog, CLA_PROPRIETARY],
  [INS.deliver, CLA_PROPRIETARY],
  [INS.presentTerminalCertificate, CLA_PROPRIETARY],
]);

type Shape = 'none' | 'le' | 'data' | 'data_le' | 'data_opt_le';

/** Checks Lc/Le presence against what the instruction takes; a mismatch is 6700. */
function lengthRefusal(command: CommandApdu, shape: Shape): Refusal | undefined {
  const hasData = command.data.length > 0;
  const hasLe = command.le !== undefined;
  const wantData = shape !== 'none' && shape !== 'le';
  const wantLe = shape === 'le' || shape === 'data_le';
  const leOptional = shape === 'data_opt_le';
  if (hasData !== wantData)
    return refuse(SW.wrong_length, wantData ? 'command data missing' : 'unexpected command data');
  if (!leOptional && hasLe !== wantLe)
    return refuse(SW.wrong_length, wantLe ? 'Le missing' : 'unexpected Le');
  return undefined;
}

/** Decodes signed data, turning any ProtocolError into 6A80; a bug still throws. */
function decodeData<T>(decode: () => T): T | Refusal {
  try {
    return decode();
  } catch (error) {
    if (isProtocolError(error)) return refuse(SW.malformed_data, error.message);
    throw error;
  }
}

function isRefusal(value: unknown): value is Refusal {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'refused'
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function classifyCommand(command: CommandApdu): Classified {
  const { cla, ins, p1, p2 } = command;
  if (cla !== CLA_ISO && cla !== CLA_PROPRIETARY)
    return refuse(SW.class_not_supported, `CLA ${cla}`);
  const insClass = CLASS_OF.get(ins);
  if (insClass === undefined) return refuse(SW.unknown_instruction, `INS ${ins}`);
  if (insClass !== cla) return refuse(SW.class_not_supported, `INS ${ins} under CLA ${cla}`);
  const p1p2 = (p1 << 8) | p2;
  const wrongP1P2 = refuse(SW.wrong_p1p2, `P1 P2 ${p1p2.toString(16).padStart(4, '0')}`);

  switch (ins) {
    case INS.select: {
      if (p1 !== P1_SELECT_BY_NAME || p2 !== 0) return wrongP1P2;
      // Le is optional: some readers send SELECT as case 3.
      const length = lengthRefusal(command, 'data_opt_le');
      if (length) return length;
      return equalBytes(command.data, AID)
        ? { kind: 'select' }
        : refuse(SW.application_not_found, 'another AID');
    }
    case INS.getResponse: {
      if (p1p2 !== 0) return wrongP1P2;
      return lengthRefusal(command, 'le') ?? { kind: 'get_response', le: command.le as number };
    }
    case INS.readObject: {
      const kind =
        p1 !== 0
          ? undefined
          : p2 === P2_CERTIFICATE
            ? 'read_certificate'
            : p2 === P2_FRESHNESS
              ? 'read_freshness'
              : undefined;
      if (kind === undefined) return wrongP1P2;
      return lengthRefusal(command, 'le') ?? { kind };
    }
    case INS.readLog: {
      if (p1 < 1 || p1 > MAX_LOG_RECORDS || p2 !== 0) return wrongP1P2;
      return lengthRefusal(command, 'le') ?? { kind: 'read_log', count: p1 };
    }
    case INS.pay: {
      if (p1p2 !== 0) return wrongP1P2;
      const length = lengthRefusal(command, 'data_le');
      if (length) return length;
      const request = decodeData(() => PaymentRequest.decode(command.data));
      return isRefusal(request) ? request : { kind: 'pay', request };
    }
    case INS.deliver: {
      if (p1p2 !== 0) return wrongP1P2;
      // Le is tolerated: terminals that always append one expect no data back anyway.
      const length = lengthRefusal(command, 'data_opt_le');
      if (length) return length;
      const notification = decodeData(() => Notification.decode(command.data));
      return isRefusal(notification) ? notification : { kind: 'deliver', notification };
    }
    case INS.presentTerminalCertificate: {
      if (p1p2 !== 0) return wrongP1P2;
      // Le tolerated, as for DELIVER: the answer carries no data either way.
      const length = lengthRefusal(command, 'data_opt_le');
      if (length) return length;
      const certificate = decodeData(() => TerminalCertificate.decode(command.data));
      return isRefusal(certificate)
        ? certificate
        : { kind: 'present_terminal_certificate', certificate };
    }
    default:
      // CLASS_OF lists exactly the instructions above; reaching here is a bug in this file.
      throw new Error(`unhandled INS ${ins}`);
  }
}

/**
 * Parses and classifies raw command bytes. An APDU whose lengths do not add up is refused
 * with 6700 (wrong length) rather than thrown, so the applet always has an answer.
 */
export function classifyCommandBytes(bytes: Uint8Array): {
  command: CommandApdu | undefined;
  classified: Classified;
} {
  try {
    const command = parseCommandApdu(bytes);
    return { command, classified: classifyCommand(command) };
  } catch (error) {
    if (error instanceof ProtocolError)
      return { command: undefined, classified: refuse(SW.wrong_length, error.message) };
    throw error;
  }
}
