/**
 * The terminal as a whole: what it is (app.info), the merchant's settings, and the trust
 * set-up's methods (enrollment and sync) as the settings screen calls them.
 */
import type { SettingsStore } from '../../../db/settings-store';
import type {
  AppInfo,
  EnrollmentView,
  FirstSyncView,
  Language,
  SettingsView,
  SyncView,
  TerminalMode,
  Theme,
  TransportKind,
} from '../api/contract-types';
import type { Handlers } from '../api/dispatch';
import { TerminalError } from '../errors';
import type { EnrollmentService, EnrollmentStatus } from '../enrollment';
import type { SyncService, SyncStatus } from '../sync';

export function enrollmentView(status: EnrollmentStatus, mode: TerminalMode): EnrollmentView {
  if (status.state === 'unenrolled') {
    return {
      mode,
      merchantId: null,
      terminalId: null,
      platformUrl: null,
      certificate: null,
      suspended: false,
      keyProtection: null,
    };
  }
  const c = status.certificate;
  return {
    mode,
    merchantId: status.merchantId,
    terminalId: status.terminalId,
    platformUrl: status.platformUrl,
    certificate:
      c === undefined
        ? null
        : { serial: c.serial, validFrom: c.validFrom, validUntil: c.validUntil },
    suspended: status.suspended,
    keyProtection: status.keyProtection,
  };
}

export function syncView(status: SyncStatus, parameters: SyncView['parameters']): SyncView {
  return {
    lastSyncAt: status.lastSyncAt,
    lastOutcome: status.lastOutcome,
    hotlist: {
      version: status.hotlist.version,
      issuedAt: status.hotlist.issuedAt,
      ageSeconds: status.hotlist.ageSeconds,
      entries: status.hotlist.entries,
    },
    canTakePayments: status.canTakePayments,
    notReadyReason: status.notReady?.message ?? null,
    parameters,
  };
}

export interface AppDeps {
  readonly version: string;
  readonly transport: TransportKind;
  /** 'demo' when the demo world runs this terminal; else enrolled or not. */
  readonly demo: boolean;
  readonly enrollment: () => EnrollmentService;
  readonly sync: () => SyncService;
  readonly settings: () => SettingsStore;
  readonly parameters: () => SyncView['parameters'];
}

const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];
const THEMES: readonly Theme[] = ['light', 'dark', 'system'];
const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined, fallback: T) =>
  allowed.find((a) => a === value) ?? fallback;

function firstSyncFailure(error: unknown): FirstSyncView {
  return error instanceof TerminalError
    ? { ok: false, code: error.code, message: error.message }
    : {
        ok: false,
        code: 'sync_failed',
        message: 'the first sync failed: it is retried on schedule',
      };
}

export function appHandlers(
  deps: AppDeps,
): Pick<
  Handlers,
  | 'app.info'
  | 'settings.get'
  | 'settings.set'
  | 'enrollment.status'
  | 'enrollment.enroll'
  | 'sync.status'
  | 'sync.now'
> {
  const mode = (): TerminalMode => {
    if (deps.demo) return 'demo';
    return deps.enrollment().status().state === 'enrolled' ? 'enrolled' : 'unenrolled';
  };
  const settings = (): SettingsView => ({
    language: oneOf(LANGUAGES, deps.settings().get('language'), 'en'),
    theme: oneOf(THEMES, deps.settings().get('theme'), 'system'),
  });
  const sync = (): SyncView => syncView(deps.sync().status(), deps.parameters());
  return {
    'app.info': (): AppInfo => {
      const status = deps.enrollment().status();
      return {
        version: deps.version,
        mode: mode(),
        transport: deps.transport,
        merchantId: status.state === 'enrolled' ? status.merchantId : null,
        terminalId: status.state === 'enrolled' ? status.terminalId : null,
      };
    },
    'settings.get': settings,
    'settings.set': ({ language, theme }) => {
      if (language !== undefined) deps.settings().set('language', language);
      if (theme !== undefined) deps.settings().set('theme', theme);
      return settings();
    },
    'enrollment.status': () => enrollmentView(deps.enrollment().status(), mode()),
    'enrollment.enroll': async (input) => {
      const status = await deps.enrollment().enroll(input);
      // A new terminal needs its hotlist before its first sale: sync at once, and say how it
      // went (enrolled stays enrolled; the schedule retries a failed sync).
      const firstSync = await deps
        .sync()
        .syncNow()
        .then((): FirstSyncView => ({ ok: true }), firstSyncFailure);
      return { ...enrollmentView(status, mode()), firstSync };
    },
    'sync.status': sync,
    'sync.now': async () => {
      await deps.sync().syncNow();
      return sync();
    },
  };
}
