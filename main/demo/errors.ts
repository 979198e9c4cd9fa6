/**
 * Every failure of a demo action as the one TerminalError the contract carries: the
 * handset's and the platform client's own errors are translated here, by code, so the demo
 * panel shows a sentence and a code, never a stack. Anything else is a bug and is rethrown
 * (the contract layer logs it and answers `internal`).
 */
import { ActivationError, PlatformRequestError, StorageError, SyncError } from '../../handset';
import { PhoneFolderInUseError } from '../../handset/storage/folder-lock';
import { DatabaseSetupError } from '../../platform/errors';
import { MasterKeyError } from '../../platform/keys/master-key';
import { TerminalError } from '../terminal/errors';

/** The codes a demo call can fail with (besides the platform's own, under platform_refused). */
export type DemoErrorCode =
  | 'unknown_phone'
  | 'invalid_amount'
  | 'invalid_seconds'
  | 'unknown_action'
  | 'phone_off'
  | 'no_signal'
  | 'not_activated'
  | 'not_on_reader'
  | 'invalid_port'
  | 'wallet_cannot_sign'
  | 'wallet_refused'
  | 'wallet_fault'
  | 'platform_refused'
  | 'platform_unreachable'
  | 'phone_folder_in_use'
  | 'demo_in_use'
  | 'invalid_phone_count'
  | 'demo_platform_failed'
  | 'demo_state_corrupt'
  | 'demo_closed'
  | 'unknown_forgery'
  | 'forgery_needs_payment'
  | 'forgery_needs_phone'
  | 'label_taken'
  | 'second_terminal_failed';

export function demoError(code: DemoErrorCode, message: string, details?: Record<string, unknown>) {
  return new TerminalError(code, message, details);
}

export function asDemoError(error: unknown): unknown {
  if (error instanceof TerminalError) return error;
  if (error instanceof SyncError) {
    switch (error.code) {
      case 'powered_off':
        return demoError('phone_off', 'the phone is switched off: power it on first');
      case 'no_network':
        return demoError('no_signal', 'the phone has no signal: it cannot reach the platform');
      case 'not_activated':
        return demoError('not_activated', 'the phone has no activated wallet');
      case 'bad_freshness':
        return demoError('wallet_refused', `the wallet refused the platform's answer`);
    }
  }
  if (error instanceof PlatformRequestError) {
    switch (error.code) {
      case 'network':
      case 'timeout':
      case 'server_error':
      case 'bad_response':
        return demoError('platform_unreachable', `the platform did not answer properly`, {
          reason: error.code,
        });
      case 'cannot_sign':
        return demoError(
          'wallet_cannot_sign',
          'the wallet cannot sign requests now (its storage is sealed: SIM or handset swapped, or wiped)',
        );
      default:
        return demoError('platform_refused', `the platform refused: ${error.message}`, {
          platformCode: error.platformCode ?? error.code,
          ...(error.status === undefined ? {} : { status: error.status }),
        });
    }
  }
  if (error instanceof ActivationError) {
    return demoError('wallet_refused', `the wallet refused the activation (${error.code})`);
  }
  if (error instanceof StorageError) {
    return demoError('wallet_fault', `the wallet's storage cannot be trusted (${error.code})`);
  }
  if (error instanceof DatabaseSetupError) {
    return error.code === 'data_dir_in_use'
      ? demoError('demo_in_use', 'the demo is already running in another window or process')
      : demoError('demo_platform_failed', `the demo platform cannot start: ${error.message}`, {
          reason: error.code,
        });
  }
  if (error instanceof MasterKeyError) {
    return demoError('demo_platform_failed', `the demo platform cannot start: ${error.message}`, {
      reason: 'master_key',
    });
  }
  if (error instanceof PhoneFolderInUseError) {
    return demoError(
      'phone_folder_in_use',
      `a demo phone's folder is in use by ${error.owner} (pid ${error.pid})`,
    );
  }
  return error;
}

/** Runs `work`, translating what it throws. */
export async function translated<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asDemoError(error);
  }
}
