/** Table types of the terminal enrollment unit (migrations 0700, 0701). */
import type { Json } from '../db/schema';
import type { TerminalParams } from './params';

export interface EnrollmentCodesTable {
  /** sha256 of the code: the code itself is shown once and never stored. */
  code_hash: Uint8Array;
  merchant_id: string;
  terminal_id: string;
  /** The parameters the terminal will receive (defaults merged with overrides). */
  params: Json<TerminalParams>;
  /** Operator token id that created it. */
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A terminal certificate the platform signed (at enrollment or renewal). */
export interface TerminalCertificatesTable {
  /** From the terminal_certificate_serials sequence; what suspend_terminal notices name. */
  serial: number;
  terminal_id: string;
  /** The terminal key it certifies (33-byte compressed P-256). */
  public_key: Uint8Array;
  issuer_key_id: Uint8Array;
  valid_from: number;
  valid_until: number;
  issued_at: number;
  /** When a suspension named it; once set, never cleared (a resumed terminal renews). */
  suspended_at: number | null;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    enrollment_codes: EnrollmentCodesTable;
    terminal_certificates: TerminalCertificatesTable;
  }
}
