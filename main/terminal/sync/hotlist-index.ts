/**
 * The hotlist in memory, built for a million wallets: ids in sorted byte arrays (16 bytes
 * each) searched by bisection on 32-bit words, reason and revocation time in parallel typed
 * arrays (≈ 25 bytes a wallet: 25 MB for 1M). A large `base` holds most of the list and a
 * small sorted `overlay` the recent deltas, so a delta copies the overlay (at most
 * `overlayMax` entries), not the million; once the overlay would grow past it, it is merged
 * into a new base. An index is immutable: a tap in flight keeps the index it started with.
 */
import type { HotlistEntry } from '../../../protocol';
import {
  emptyArrays,
  WALLET_ID_SIZE,
  type HotlistArrays,
  type HotlistNotice,
  type HotlistSnapshot,
} from '../../../db/hotlist-store';
import type { HotlistView } from '../model';

type Reason = HotlistEntry['reason'];
const REASONS: readonly Reason[] = ['lost', 'stolen', 'double_spend', 'migrated', 'closed'];
const reasonCode = (reason: Reason): number => REASONS.indexOf(reason) + 1;

/** Above this many overlay entries a delta is merged into a new base (≈ 1.6 MB copied). */
export const OVERLAY_MAX = 65_536;

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

export interface ListMeta {
  readonly version: number;
  readonly issuedAt: number;
}

export class HotlistIndex implements HotlistView {
  readonly count: number;
  private readonly noticesById: ReadonlyMap<string, readonly HotlistNotice[]>;

  private constructor(
    readonly snapshot: HotlistSnapshot,
    private readonly overlayMax: number,
  ) {
    this.count = snapshot.base.reasons.length + snapshot.overlay.reasons.length;
    const byId = new Map<string, HotlistNotice[]>();
    for (const notice of snapshot.notices) {
      const key = hex(notice.walletId);
      byId.set(key, [...(byId.get(key) ?? []), notice]);
    }
    for (const list of byId.values()) list.sort((a, b) => a.sequence - b.sequence);
    this.noticesById = byId;
  }

  /** `overlayMax` is lowered only by tests, to exercise merges with few entries. */
  static empty(overlayMax = OVERLAY_MAX): HotlistIndex {
    const snapshot = { version: 0, issuedAt: 0, notices: [] };
    return new HotlistIndex(
      { ...snapshot, base: emptyArrays(), overlay: emptyArrays() },
      overlayMax,
    );
  }

  /** Takes the arrays as they are: ascending ids (db/hotlist-store checks a file's digest). */
  static fromSnapshot(snapshot: HotlistSnapshot, overlayMax = OVERLAY_MAX): HotlistIndex {
    return new HotlistIndex(snapshot, overlayMax);
  }

  get version(): number {
    return this.snapshot.version;
  }

  /** Undefined before the first list (a platform with no revocation sends version 0). */
  get issuedAt(): number | undefined {
    return this.snapshot.issuedAt === 0 ? undefined : this.snapshot.issuedAt;
  }

  lookup(walletId: Uint8Array): HotlistEntry | undefined {
    if (walletId.length !== WALLET_ID_SIZE) return undefined;
    const { base, overlay } = this.snapshot;
    const inBase = find(base, walletId);
    if (inBase >= 0) return entryAt(base, inBase);
    const inOverlay = find(overlay, walletId);
    return inOverlay >= 0 ? entryAt(overlay, inOverlay) : undefined;
  }

  notices(walletId: Uint8Array): readonly Uint8Array[] {
    if (walletId.length !== WALLET_ID_SIZE) return [];
    return (this.noticesById.get(hex(walletId)) ?? []).map((n) => n.envelope);
  }

  /** A full list: replaces every entry; notices of wallets still listed are kept. */
  withFull(
    entries: readonly HotlistEntry[],
    notices: readonly HotlistNotice[],
    meta: ListMeta,
  ): HotlistIndex {
    const sorted = sortEntries(entries);
    const listed = new Set(sorted.map((e) => hex(e.walletId)));
    const kept = this.snapshot.notices.filter((n) => listed.has(hex(n.walletId)));
    return new HotlistIndex(
      {
        ...meta,
        base: arraysOf(sorted),
        overlay: emptyArrays(),
        notices: mergeNotices(kept, notices),
      },
      this.overlayMax,
    );
  }

  /** A delta: adds its entries (a wallet already listed keeps its entry: revocations stay). */
  withDelta(
    entries: readonly HotlistEntry[],
    notices: readonly HotlistNotice[],
    meta: ListMeta,
  ): HotlistIndex {
    const { base, overlay } = this.snapshot;
    const fresh = arraysOf(
      sortEntries(entries).filter(
        (e) => find(base, e.walletId) < 0 && find(overlay, e.walletId) < 0,
      ),
    );
    const grown = merge(overlay, fresh);
    const merged =
      grown.reasons.length > this.overlayMax
        ? { base: merge(base, grown), overlay: emptyArrays() }
        : { base, overlay: grown };
    return new HotlistIndex(
      { ...meta, ...merged, notices: mergeNotices(this.snapshot.notices, notices) },
      this.overlayMax,
    );
  }
}

function entryAt(arrays: HotlistArrays, at: number): HotlistEntry {
  return {
    walletId: arrays.ids.slice(at * WALLET_ID_SIZE, (at + 1) * WALLET_ID_SIZE),
    reason: REASONS[(arrays.reasons[at] as number) - 1] as Reason,
    revokedAt: arrays.revokedAt[at] as number,
  };
}

/** Index of `walletId` in `arrays`, or −(insertion point) − 1 when it is not there. */
function find(arrays: HotlistArrays, walletId: Uint8Array): number {
  const ids = arrays.ids;
  const key0 =
    (((walletId[0] as number) << 24) |
      ((walletId[1] as number) << 16) |
      ((walletId[2] as number) << 8) |
      (walletId[3] as number)) >>>
    0;
  const words = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const key = new DataView(walletId.buffer, walletId.byteOffset, WALLET_ID_SIZE);
  let low = 0;
  let high = arrays.reasons.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = mid * WALLET_ID_SIZE;
    let order = words.getUint32(at) - key0;
    for (let w = 4; order === 0 && w < WALLET_ID_SIZE; w += 4) {
      order = words.getUint32(at + w) - key.getUint32(w);
    }
    if (order === 0) return mid;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return -low - 1;
}

/** Memory of its own (never Node's shared pool), not zeroed: every byte is written. */
function uninitialised(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}

/**
 * Two disjoint sorted sets of entries as one: `small`'s entries are placed by bisection in
 * `large`, and the runs of `large` between them are copied as blocks.
 */
function merge(large: HotlistArrays, small: HotlistArrays): HotlistArrays {
  const bigCount = large.reasons.length;
  const addCount = small.reasons.length;
  if (addCount === 0) return large;
  const total = bigCount + addCount;
  const ids = uninitialised(total * WALLET_ID_SIZE);
  const reasons = uninitialised(total);
  const revokedAt = new Float64Array(uninitialised(total * 8).buffer, 0, total);
  let from = 0;
  let to = 0;
  const copyLarge = (until: number) => {
    ids.set(large.ids.subarray(from * WALLET_ID_SIZE, until * WALLET_ID_SIZE), to * WALLET_ID_SIZE);
    reasons.set(large.reasons.subarray(from, until), to);
    revokedAt.set(large.revokedAt.subarray(from, until), to);
    to += until - from;
    from = until;
  };
  for (let i = 0; i < addCount; i++) {
    const id = small.ids.subarray(i * WALLET_ID_SIZE, (i + 1) * WALLET_ID_SIZE);
    copyLarge(-find(large, id) - 1);
    ids.set(id, to * WALLET_ID_SIZE);
    reasons[to] = small.reasons[i] as number;
    revokedAt[to] = small.revokedAt[i] as number;
    to += 1;
  }
  copyLarge(bigCount);
  return { ids, reasons, revokedAt };
}

/** Entries sorted by walletId, one per wallet (the earliest revocation wins). */
function sortEntries(entries: readonly HotlistEntry[]): HotlistEntry[] {
  const sorted = entries.filter((e) => e.walletId.length === WALLET_ID_SIZE);
  sorted.sort((a, b) => Buffer.compare(a.walletId, b.walletId) || a.revokedAt - b.revokedAt);
  return sorted.filter(
    (e, i) => i === 0 || Buffer.compare((sorted[i - 1] as HotlistEntry).walletId, e.walletId) !== 0,
  );
}

function arraysOf(sorted: readonly HotlistEntry[]): HotlistArrays {
  const ids = new Uint8Array(sorted.length * WALLET_ID_SIZE);
  const reasons = new Uint8Array(sorted.length);
  const revokedAt = new Float64Array(sorted.length);
  sorted.forEach((e, i) => {
    ids.set(e.walletId, i * WALLET_ID_SIZE);
    reasons[i] = reasonCode(e.reason);
    revokedAt[i] = e.revokedAt;
  });
  return { ids, reasons, revokedAt };
}

/** Both sets of notices, each (wallet, sequence) once. */
function mergeNotices(
  kept: readonly HotlistNotice[],
  added: readonly HotlistNotice[],
): HotlistNotice[] {
  const seen = new Set(kept.map((n) => `${hex(n.walletId)}:${n.sequence}`));
  const merged = [...kept];
  for (const notice of added) {
    const key = `${hex(notice.walletId)}:${notice.sequence}`;
    if (!seen.has(key)) {
      seen.add(key);
      merged.push(notice);
    }
  }
  return merged;
}
