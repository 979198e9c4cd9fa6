/**
 * The terminal enrollment unit: operators create merchants and single-use enrollment
 * codes; a terminal enrolls with its code and public key and receives its merchant, its
 * terminal certificate, the issuer keys to trust and its parameters, and renews the
 * certificate itself; operators suspend and resume terminals (the auth layer then refuses
 * a suspended terminal on every terminal route, and phones are told to refuse its
 * certificates: suspension.ts).
 */
import type { PlatformUnit } from '../unit';
import {
  createEnrollmentCodeCommand,
  resumeTerminalCommand,
  suspendTerminalCommand,
} from './commands';
import { enrollmentTables, terminalCertificates } from './migrations';
import { terminalRoutes } from './routes';

export const terminalsUnit: PlatformUnit = {
  name: 'terminals',
  migrations: [enrollmentTables, terminalCertificates],
  routes: terminalRoutes,
  commands: [createEnrollmentCodeCommand, suspendTerminalCommand, resumeTerminalCommand],
};
