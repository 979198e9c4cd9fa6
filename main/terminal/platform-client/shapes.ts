/**
 * The JSON answers the terminal relies on (platform/terminals/*.ts), checked on arrival:
 * a platform of another version or a man in the middle gets `bad_response`, never a
 * half-read object. Hex fields become bytes here.
 */
import { z } from 'zod';
import type { TerminalParameters, TrustKey } from '../model';

const Hex = (bytes?: number) =>
  z
    .string()
    .regex(
      bytes === undefined ? /^(?:[0-9a-fA-F]{2})+$/ : new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`),
    )
    .transform((text) => new Uint8Array(Buffer.from(text, 'hex')));
const Int = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const WireTrustKey = z.object({
  keyId: Hex(8),
  publicKey: Hex(33),
  retiredAt: Int.nullable(),
});

const WireParameters = z.object({
  currency: z.number().int().min(1).max(999),
  limitPerPayment: Int,
  limitOfflineAmount: Int,
  limitOfflineCount: Int,
  freshnessMaxAgeSeconds: Int.min(1),
  hotlistMaxAgeSeconds: Int.min(1),
  settlement: z.object({ periodSeconds: Int.min(1), uploadWithinSeconds: Int.min(1) }),
});

export const EnrollAnswer = z.object({
  merchantId: z.string(),
  terminalId: z.string(),
  enrolledAt: Int,
  certificate: Hex(),
  trustKeys: z.array(WireTrustKey),
  parameters: WireParameters,
});

export const TerminalInfoAnswer = z.object({
  terminalId: z.string(),
  merchantId: z.string(),
  status: z.enum(['active', 'suspended']),
  enrolledAt: Int,
  suspendedAt: Int.nullable(),
  parameters: WireParameters,
  trustKeys: z.array(WireTrustKey),
});

export const RenewAnswer = z.object({
  terminalId: z.string(),
  certificate: Hex(),
  serial: Int,
  validFrom: Int,
  validUntil: Int,
});

export interface Enrollment {
  readonly merchantId: string;
  readonly terminalId: string;
  readonly enrolledAt: number;
  /** The signed terminal-certificate envelope, not yet verified. */
  readonly certificate: Uint8Array;
  readonly trustKeys: readonly TrustKey[];
  readonly parameters: TerminalParameters;
}

export interface TerminalInfo {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly status: 'active' | 'suspended';
  readonly enrolledAt: number;
  readonly suspendedAt: number | null;
  readonly parameters: TerminalParameters;
  readonly trustKeys: readonly TrustKey[];
}

export interface RenewedCertificate {
  readonly terminalId: string;
  /** The signed terminal-certificate envelope, not yet verified. */
  readonly certificate: Uint8Array;
  readonly serial: number;
  readonly validFrom: number;
  readonly validUntil: number;
}
