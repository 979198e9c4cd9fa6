/**
 * What the CLI can do to one phone, as data: parsed from the command line (every usage
 * error found before any folder is touched), sent as is over a running phone's control
 * channel (control.ts), and executed by whoever owns the phone folder: the CLI process
 * itself, or the `handset run` that holds it.
 */
import type { Phone } from '../phone';
import { forReactivation, type HttpPlatformLink } from '../platform-client';
import type { RegistrationDetails } from '../wallet/platform-link';
import { describePhone, describeReactivation } from './format';
import { loadIdentity, saveIdentity } from './identity';

export class UsageError extends Error {}

interface Registration {
  readonly accountId: string;
  readonly password: string;
  readonly idNumber?: string;
}

export type PhoneCommand =
  | { readonly name: 'status' | 'sync' }
  | { readonly name: 'power-off' | 'power-on' | 'lose-signal' | 'regain-signal' }
  | { readonly name: 'swap-sim'; readonly imsi: string }
  | { readonly name: 'swap-device'; readonly imei: string }
  | { readonly name: 'activate' | 'unlock'; readonly registration: Registration }
  | {
      readonly name: 'reactivate';
      readonly registration: Registration;
      readonly previous?: string;
    };

/** The commands that may create a phone folder (kept only when they succeed). */
export const CREATING: ReadonlySet<string> = new Set(['activate', 'reactivate']);

export interface CommandOptions {
  readonly imsi?: string | undefined;
  readonly imei?: string | undefined;
  readonly account?: string | undefined;
  readonly password?: string | undefined;
  readonly 'id-number'?: string | undefined;
  readonly previous?: string | undefined;
}

function required(value: string | undefined, name: string, env?: string): string {
  if (value) return value;
  throw new UsageError(`--${name} is required${env === undefined ? '' : ` (or set ${env})`}`);
}

/**
 * The command `name` with its options; throws UsageError. Password and ID number fall back
 * to TAPSAFE_USER_PASSWORD and TAPSAFE_USER_ID_NUMBER, the variables `npm run platform --
 * add-user` registers them from (and which keep them off the command line).
 */
export function phoneCommand(
  name: string,
  options: CommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): PhoneCommand {
  switch (name) {
    case 'status':
    case 'sync':
    case 'power-off':
    case 'power-on':
    case 'lose-signal':
    case 'regain-signal':
      return { name };
    case 'swap-sim':
      return { name, imsi: required(options.imsi, 'imsi') };
    case 'swap-device':
      return { name, imei: required(options.imei, 'imei') };
    case 'activate':
    case 'unlock':
    case 'reactivate': {
      const idNumber = options['id-number'] || env.TAPSAFE_USER_ID_NUMBER || undefined;
      const registration: Registration = {
        accountId: required(options.account, 'account'),
        password: required(
          options.password || env.TAPSAFE_USER_PASSWORD,
          'password',
          'TAPSAFE_USER_PASSWORD',
        ),
        ...(idNumber === undefined ? {} : { idNumber }),
      };
      if (name !== 'reactivate') return { name, registration };
      const previous = options.previous?.toLowerCase();
      return { name, registration, ...(previous === undefined ? {} : { previous }) };
    }
    default:
      throw new UsageError(`unknown command ${name}`);
  }
}

/** A command that arrived over the control channel: checked as strictly as argv is. */
export function phoneCommandFromJson(value: unknown): PhoneCommand {
  const input = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const text = (key: string): string | undefined =>
    typeof input[key] === 'string' ? input[key] : undefined;
  const registration = (
    typeof input.registration === 'object' && input.registration !== null ? input.registration : {}
  ) as Record<string, unknown>;
  const field = (key: string): string | undefined =>
    typeof registration[key] === 'string' ? registration[key] : undefined;
  return phoneCommand(
    text('name') ?? '',
    {
      imsi: text('imsi'),
      imei: text('imei'),
      previous: text('previous'),
      account: field('accountId'),
      password: field('password'),
      'id-number': field('idNumber'),
    },
    {},
  );
}

function details(registration: Registration): RegistrationDetails {
  const { accountId, password, idNumber } = registration;
  return { accountId, password, ...(idNumber === undefined ? {} : { extra: { idNumber } }) };
}

/** Runs `command` on the open phone in `dir`; resolves with what to print. */
export async function executeCommand(
  phone: Phone,
  link: HttpPlatformLink,
  dir: string,
  command: PhoneCommand,
): Promise<string> {
  const lines: string[] = [];
  switch (command.name) {
    case 'status':
      break;
    case 'activate':
      await phone.activate(details(command.registration));
      break;
    case 'reactivate':
      await phone.activate(forReactivation(details(command.registration), command.previous));
      if (link.lastReactivation) lines.push(describeReactivation(link.lastReactivation));
      break;
    case 'unlock':
      await phone.requestUnlock(details(command.registration));
      break;
    case 'sync':
      await phone.sync();
      break;
    case 'swap-sim':
      phone.swapSim(command.imsi);
      saveIdentity(dir, { ...loadIdentity(dir), imsi: command.imsi });
      break;
    case 'swap-device':
      phone.swapDevice(command.imei);
      saveIdentity(dir, { ...loadIdentity(dir), imei: command.imei });
      break;
    case 'power-off':
      phone.powerOff();
      break;
    case 'power-on':
      phone.powerOn();
      break;
    case 'lose-signal':
      phone.loseSignal();
      break;
    case 'regain-signal':
      phone.regainSignal();
      break;
  }
  lines.push(describePhone(phone.snapshot()));
  return lines.join('\n');
}
