/**
 * What the demo remembers between starts, in `<dataDir>/demo.json` (0600): the time-travel
 * offset, the embedded platform's port, and its phones — folder id, label, and the demo user
 * each was activated for (account id and password, which the demo needs again to unlock and
 * re-activate). The
 * phones' own state lives in their folders (`<dataDir>/phones/<phoneId>/`).
 */
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from '../../handset/storage/atomic-file';
import { TerminalError } from '../terminal/errors';

export interface DemoPhoneRecord {
  readonly phoneId: string;
  readonly label: string;
  readonly accountId: string;
  readonly password: string;
}

export interface DemoState {
  readonly offsetSeconds: number;
  readonly phones: readonly DemoPhoneRecord[];
  /** Numbers phones (phone-1, phone-2, …): never reused, even after a re-activation. */
  readonly nextPhone: number;
  /**
   * The embedded platform's port at the last start: the demo terminal is enrolled against
   * that address, so the next start listens there again.
   */
  readonly platformPort?: number;
}

const EMPTY: DemoState = { offsetSeconds: 0, phones: [], nextPhone: 1 };

export class DemoStateFile {
  private current: DemoState;
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'demo.json');
    this.current = load(this.path);
  }

  get state(): DemoState {
    return this.current;
  }

  update(change: (state: DemoState) => DemoState): DemoState {
    const next = change(this.current);
    writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
    this.current = next;
    return next;
  }
}

/** Phone numbers are never reused, even when making that phone failed half-way. */
export function takePhoneNumber(stateFile: DemoStateFile): number {
  const n = stateFile.state.nextPhone;
  stateFile.update((s) => ({ ...s, nextPhone: n + 1 }));
  return n;
}

function load(path: string): DemoState {
  const bytes = readFileIfExists(path);
  if (bytes === undefined) return EMPTY;
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<DemoState>;
    const phones = Array.isArray(parsed.phones) ? parsed.phones.filter(isRecord) : [];
    const offset = parsed.offsetSeconds;
    const next = parsed.nextPhone;
    if (
      !Number.isSafeInteger(offset) ||
      (offset as number) < 0 ||
      !Number.isSafeInteger(next) ||
      phones.length !== parsed.phones?.length
    ) {
      throw new Error('unexpected contents');
    }
    const port = parsed.platformPort;
    const platformPort =
      Number.isSafeInteger(port) && (port as number) > 0 && (port as number) < 65_536
        ? { platformPort: port as number }
        : {};
    return { offsetSeconds: offset as number, phones, nextPhone: next as number, ...platformPort };
  } catch (error) {
    throw new TerminalError(
      'demo_state_corrupt',
      `the demo's state file ${path} cannot be read (${(error as Error).message}); remove the demo folder to start afresh`,
    );
  }
}

function isRecord(value: unknown): value is DemoPhoneRecord {
  const r = value as Partial<DemoPhoneRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.phoneId === 'string' &&
    /^[a-z0-9-]{1,64}$/.test(r.phoneId) &&
    typeof r.label === 'string' &&
    typeof r.accountId === 'string' &&
    typeof r.password === 'string'
  );
}
