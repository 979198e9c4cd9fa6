/**
 * Keeps the hotlist in force (docs/protocol.md §7.1 step 7): each list is verified under a
 * trust key that verifies now (found by `issuerKeyId`), a delta is applied only onto its
 * `baseVersion`, the version never goes down (not even after the hotlist file is lost: the
 * ledger keeps the highest version applied), and every list is persisted before it is used.
 */
import { Hotlist, type Notification, type Signed } from '../../../protocol';
import { HotlistFileError, type HotlistNotice, type HotlistStore } from '../../../db/hotlist-store';
import type { TerminalStore } from '../../../db/terminal-store';
import { trustKeyFor } from '../enrollment/trust';
import { TerminalError } from '../errors';
import type { TrustKey } from '../model';
import { HotlistIndex } from './hotlist-index';

export type ApplyOutcome =
  | { readonly applied: true; readonly kind: 'full' | 'delta'; readonly version: number }
  /** A delta onto a version other than ours: fetch the full list. */
  | { readonly applied: false; readonly needFull: true }
  /** Signed by a key id we do not know: refresh the trust keys, then try again. */
  | { readonly applied: false; readonly unknownKey: true };

export class HotlistKeeper {
  #index: HotlistIndex;
  /** Why the stored file was not used at start, if it was not. */
  readonly loadProblem: string | undefined;

  constructor(
    private readonly file: HotlistStore,
    private readonly store: TerminalStore,
  ) {
    let problem: string | undefined;
    let index = HotlistIndex.empty();
    try {
      const snapshot = file.load();
      if (snapshot !== undefined) index = HotlistIndex.fromSnapshot(snapshot);
    } catch (error) {
      // A damaged file is no hotlist: payments wait for the next full list.
      problem = error instanceof HotlistFileError ? error.message : String(error);
    }
    this.#index = index;
    this.loadProblem = problem;
  }

  get index(): HotlistIndex {
    return this.#index;
  }

  /** The version to ask a delta from; undefined before the first list (ask the full one). */
  get deltaBase(): number | undefined {
    return this.#index.issuedAt === undefined ? undefined : this.#index.version;
  }

  /**
   * Verifies and applies one list. The new index is in force once its file is written;
   * calls must not overlap (the sync service runs one sync at a time).
   */
  async apply(
    envelope: Uint8Array,
    trustKeys: readonly TrustKey[],
    now: number,
  ): Promise<ApplyOutcome> {
    const signed = decode(envelope);
    const list = signed.value;
    const key = trustKeyFor(trustKeys, list.issuerKeyId, now);
    if (key === undefined) return { applied: false, unknownKey: true };
    try {
      Hotlist.verify(signed, key.publicKey);
    } catch {
      throw new TerminalError('hotlist_invalid', 'the hotlist signature does not verify: refused');
    }
    const current = this.#index;
    const floor = Math.max(current.version, this.store.identity()?.hotlistVersion ?? 0);
    if (list.hotlistVersion < floor) {
      throw new TerminalError(
        'hotlist_rollback',
        `the platform sent hotlist version ${list.hotlistVersion}, older than the ${floor} in force: refused`,
        { version: list.hotlistVersion, current: floor },
      );
    }
    const notices = list.notices.map(noticeOf);
    const meta = {
      version: list.hotlistVersion,
      issuedAt: Math.max(
        list.issuedAt,
        list.hotlistVersion === current.version ? (current.issuedAt ?? 0) : 0,
      ),
    };
    let next: HotlistIndex;
    if (list.kind === 'full') {
      next = current.withFull(list.entries, notices, meta);
    } else {
      if (list.baseVersion !== current.version || current.issuedAt === undefined) {
        return { applied: false, needFull: true };
      }
      next = current.withDelta(list.entries, notices, meta);
    }
    await this.file.save(next.snapshot);
    this.store.setHotlistVersion(next.version);
    this.#index = next;
    return { applied: true, kind: list.kind, version: next.version };
  }
}

function decode(envelope: Uint8Array): Signed<Hotlist> {
  try {
    return Hotlist.decode(envelope);
  } catch (error) {
    throw new TerminalError(
      'hotlist_invalid',
      `the hotlist does not decode: ${(error as Error).message}`,
    );
  }
}

function noticeOf(notice: Signed<Notification>): HotlistNotice {
  return {
    walletId: notice.value.walletId,
    sequence: notice.value.sequence,
    envelope: notice.encoded,
  };
}
