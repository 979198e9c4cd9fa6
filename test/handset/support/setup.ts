/** One activated phone on an in-process reader, with its platform, clock and terminal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPhone,
  InProcessField,
  SimulatedClock,
  type InternalErrorReport,
  type Phone,
} from '../../../handset';
import { TestPlatform, type TestPolicy } from './platform';
import { TestTerminal } from './terminal';

export const IMEI = '490154203237518';
export const IMSI = '310150123456789';
export const OTHER_IMEI = '356938035643809';
export const OTHER_IMSI = '310150987654321';
export const REGISTRATION = { accountId: 'ACC-000123', password: 'correct horse battery' };

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapsafe-handset-'));
  dirs.push(dir);
  return dir;
}

/** For afterEach: removes every folder tempDir made. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Rig {
  clock: SimulatedClock;
  platform: TestPlatform;
  field: InProcessField;
  terminal: TestTerminal;
  phone: Phone;
  stateDir: string;
  internalErrors: InternalErrorReport[];
  /** A new Phone object on the same folder: the app restarted (same identity by default). */
  reopen(identity?: { imei?: string; imsi?: string }): Phone;
}

export async function activatedRig(policy: Partial<TestPolicy> = {}): Promise<Rig> {
  const rig = bareRig(policy);
  await rig.phone.activate(REGISTRATION);
  return rig;
}

/** Like activatedRig, but the phone is not activated yet. */
export function bareRig(policy: Partial<TestPolicy> = {}): Rig {
  const clock = new SimulatedClock();
  const platform = new TestPlatform(clock, policy);
  platform.register(REGISTRATION.accountId, REGISTRATION.password);
  const stateDir = tempDir();
  const internalErrors: InternalErrorReport[] = [];
  const open = (imei = IMEI, imsi = IMSI): Phone =>
    createPhone({
      stateDir,
      imei,
      imsi,
      clock,
      platform,
      onInternalError: (report) => internalErrors.push(report),
    });
  const field = new InProcessField();
  const rig: Rig = {
    clock,
    platform,
    field,
    terminal: new TestTerminal(field, clock),
    phone: open(),
    stateDir,
    internalErrors,
    reopen(identity = {}) {
      field.remove();
      rig.phone.close();
      rig.phone = open(identity.imei, identity.imsi);
      return rig.phone;
    },
  };
  field.present(rig.phone);
  return rig;
}
