/**
 * The CLI's phones keep their hardware identity in `<state>/identity.json`: the Phone takes
 * IMEI and IMSI as inputs (a real handset reads them from its modem and SIM), so a phone
 * run from a terminal needs somewhere to remember which handset and SIM it is.
 */
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file';

export interface PhoneIdentity {
  readonly imei: string;
  readonly imsi: string;
}

const IMEI = /^\d{15}$/;
const IMSI = /^\d{6,15}$/;

/** A 15-digit IMEI whose last digit is the Luhn check digit, as real ones are. */
export function randomImei(): string {
  const body = Array.from({ length: 14 }, (_, i) => (i === 0 ? 3 : randomInt(10)));
  const sum = body.reduce((acc, digit, i) => {
    const d = i % 2 === 1 ? digit * 2 : digit;
    return acc + (d > 9 ? d - 9 : d);
  }, 0);
  return `${body.join('')}${(10 - (sum % 10)) % 10}`;
}

export function randomImsi(): string {
  // 001/01 is the test network's MCC/MNC: never a real subscriber.
  return `00101${Array.from({ length: 10 }, () => randomInt(10)).join('')}`;
}

export function identityPath(stateDir: string): string {
  return join(stateDir, 'identity.json');
}

/** Reads the phone's identity, creating the folder and a new identity on first use. */
export function loadIdentity(stateDir: string, wanted: Partial<PhoneIdentity> = {}): PhoneIdentity {
  const path = identityPath(stateDir);
  let identity: PhoneIdentity;
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<PhoneIdentity>;
    identity = { imei: String(stored.imei), imsi: String(stored.imsi) };
  } else {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    identity = { imei: wanted.imei ?? randomImei(), imsi: wanted.imsi ?? randomImsi() };
    saveIdentity(stateDir, identity);
  }
  if (!IMEI.test(identity.imei) || !IMSI.test(identity.imsi)) {
    throw new Error(`${path}: IMEI must be 15 digits and IMSI 6..15 digits`);
  }
  return identity;
}

export function saveIdentity(stateDir: string, identity: PhoneIdentity): void {
  writeFileAtomic(identityPath(stateDir), Buffer.from(`${JSON.stringify(identity, null, 2)}\n`));
}
