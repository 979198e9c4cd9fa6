/** What the enrollment service says about the terminal's enrollment. */
import type { KeySealer } from './key-file';

export interface CertificateStatus {
  readonly serial: number;
  readonly validFrom: number;
  readonly validUntil: number;
  /** Valid by the terminal's clock now. */
  readonly valid: boolean;
}

export type EnrollmentStatus =
  | { readonly state: 'unenrolled' }
  | {
      readonly state: 'enrolled';
      readonly merchantId: string;
      readonly terminalId: string;
      readonly platformUrl: string;
      readonly enrolledAt: number;
      readonly suspended: boolean;
      readonly certificate: CertificateStatus | undefined;
      readonly keyProtection: KeySealer['kind'];
    };
