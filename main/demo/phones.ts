/**
 * The demo's phones: each a real handset (handset/phone.ts) in `<dataDir>/phones/<id>/`,
 * linked to the embedded platform over HTTP with WebSocket push, as a user's phone would
 * be. A new phone gets a new demo user (registered by the demo's operator with money in
 * the account), is activated and loaded; a restart reopens the folder and finds the same
 * wallet. IMEI and IMSI live in the folder's identity.json (the CLI's format), so a
 * swapped SIM stays swapped across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPhone,
  forReactivation,
  HttpPlatformLink,
  PushClient,
  type Clock,
  type Phone,
  type RegistrationDetails,
} from '../../handset';
import {
  loadIdentity,
  randomImei,
  randomImsi,
  saveIdentity,
  type PhoneIdentity,
} from '../../handset/cli/identity';
import { readFileIfExists, writeFileAtomic } from '../../handset/storage/atomic-file';
import { lockPhoneFolder } from '../../handset/storage/folder-lock';
import type { DemoOperator } from './operator';
import type { DemoPhoneRecord } from './state-file';

/** Each demo user's account at registration; the wallet is loaded with part of it. */
export const ACCOUNT_BALANCE = 50_000;
export const WALLET_LOAD = 20_000;
/** An online phone syncs at most this often after paying (as `handset run` does). */
const SYNC_AFTER_PAYMENT_MS = 1_000;
const FOLDER_OWNER = 'tapsafe demo';
const HOME_FILE = 'demo-home.json';

export interface DemoPhone {
  readonly record: DemoPhoneRecord;
  readonly dir: string;
  readonly phone: Phone;
  readonly link: HttpPlatformLink;
  /** The user's registration details, for unlock and re-activation. */
  readonly registration: RegistrationDetails;
  /** Another SIM in (S3); swapped again, the phone's own SIM goes back in. */
  swapSim(): void;
  /** The wallet moved to another handset (S3); swapped again, back to its own. */
  swapDevice(): void;
  /** Stops push, closes the phone, gives the folder up; safe twice. */
  close(): void;
}

export interface PhoneContext {
  readonly dataDir: string;
  readonly platformUrl: string;
  readonly clock: Clock;
  readonly operator: DemoOperator;
}

export function phoneDir(dataDir: string, phoneId: string): string {
  return join(dataDir, 'phones', phoneId);
}

/** A new demo user's record: account id and password generated, never shown. */
export function newRecord(phoneId: string, label: string, accountId?: string): DemoPhoneRecord {
  return {
    phoneId,
    label,
    accountId: accountId ?? `DEMO-${phoneId.toUpperCase()}-${randomBytes(3).toString('hex')}`,
    password: randomBytes(12).toString('hex'),
  };
}

/** Opens the phone in its folder (taking the folder), linked and pushing. */
export function openDemoPhone(ctx: PhoneContext, record: DemoPhoneRecord): DemoPhone {
  const dir = phoneDir(ctx.dataDir, record.phoneId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const release = lockPhoneFolder(dir, FOLDER_OWNER);
  try {
    const identity = loadIdentity(dir, { imei: randomImei(), imsi: randomImsi() });
    const home = homeIdentity(dir, identity);
    const link = new HttpPlatformLink({ baseUrl: ctx.platformUrl, clock: ctx.clock });
    const phone = createPhone({
      stateDir: dir,
      ...identity,
      clock: ctx.clock,
      platform: link,
      name: record.label,
    });
    link.attach(phone.wallet);
    const push = new PushClient({ phone, link, syncAfterPaymentMs: SYNC_AFTER_PAYMENT_MS });
    // The socket is per wallet: a phone not activated yet starts pushing once it is.
    let stopWaiting = (): void => {};
    if (phone.wallet.walletId !== undefined) push.start();
    else {
      stopWaiting = phone.on('activation', () => {
        stopWaiting();
        push.start();
      });
    }
    let closed = false;
    return {
      record,
      dir,
      phone,
      link,
      registration: { accountId: record.accountId, password: record.password },
      swapSim() {
        const current = phone.device.identity.imsi;
        const imsi = current === home.imsi ? randomImsi() : home.imsi;
        phone.swapSim(imsi);
        saveIdentity(dir, { ...loadIdentity(dir), imsi });
      },
      swapDevice() {
        const current = phone.device.identity.imei;
        const imei = current === home.imei ? randomImei() : home.imei;
        phone.swapDevice(imei);
        saveIdentity(dir, { ...loadIdentity(dir), imei });
      },
      close() {
        if (closed) return;
        closed = true;
        stopWaiting();
        push.stop();
        phone.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * The identity the phone was activated with (its own handset and SIM), kept beside
 * identity.json so a swap can be undone: the patent's S3 lock stays until the user puts
 * the right SIM back and re-verifies (unlock), which the platform allows only from the
 * activated IMEI and IMSI.
 */
function homeIdentity(dir: string, current: PhoneIdentity): PhoneIdentity {
  const path = join(dir, HOME_FILE);
  const stored = readFileIfExists(path);
  if (stored !== undefined) {
    const parsed = JSON.parse(Buffer.from(stored).toString('utf8')) as Partial<PhoneIdentity>;
    if (typeof parsed.imei === 'string' && typeof parsed.imsi === 'string') {
      return { imei: parsed.imei, imsi: parsed.imsi };
    }
  }
  writeFileAtomic(path, Buffer.from(JSON.stringify(current)));
  return current;
}

/**
 * First start of one phone: a fresh folder (a half-made one from an interrupted start is
 * cleared), a new user registered with money in the account, activation loading part of it.
 */
export async function createFundedPhone(
  ctx: PhoneContext,
  record: DemoPhoneRecord,
): Promise<DemoPhone> {
  await ctx.operator.call('POST', '/v1/accounts', {
    accountId: record.accountId,
    name: record.label,
    password: record.password,
    balance: ACCOUNT_BALANCE,
  });
  return activateIn(ctx, record, (phone) =>
    phone.phone.activate({ ...phone.registration, extra: { amount: String(WALLET_LOAD) } }),
  );
}

/** S6: a new phone for `record`'s user, taking over the lost wallet's e-cash. */
export function createReplacementPhone(
  ctx: PhoneContext,
  record: DemoPhoneRecord,
  previousWalletIdHex: string,
): Promise<DemoPhone> {
  return activateIn(ctx, record, (phone) =>
    phone.phone.activate(forReactivation(phone.registration, previousWalletIdHex)),
  );
}

async function activateIn(
  ctx: PhoneContext,
  record: DemoPhoneRecord,
  activate: (phone: DemoPhone) => Promise<void>,
): Promise<DemoPhone> {
  const dir = phoneDir(ctx.dataDir, record.phoneId);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const phone = openDemoPhone(ctx, record);
  try {
    await activate(phone);
    return phone;
  } catch (error) {
    phone.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
