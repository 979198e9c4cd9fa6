/** Table types of the terminal enrollment unit (migration 0700). */
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

declare module '../db/schema' {
  interface PlatformDatabase {
    enrollment_codes: EnrollmentCodesTable;
  }
}
