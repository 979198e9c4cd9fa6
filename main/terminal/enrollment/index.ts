export { createEnrollmentService } from './service';
export type { EnrollmentDeps, EnrollmentService } from './service';
export type { CertificateStatus, EnrollmentStatus } from './status';
export { ENROLLMENT_EVENTS, type EnrollmentEventPayloads, type EnrollmentPublish } from './events';
export { fileKeySealer, KEY_FILE_NAME, type KeySealer } from './key-file';
export { trustKeyFor, verifyTerminalCertificate } from './trust';
