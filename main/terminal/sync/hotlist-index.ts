/**
 * The hotlist in memory, built for a million wallets: the ids in one sorted byte array
 * (16 bytes each) searched by bisection on 32-bit words, reason and revocation time in
 * parallel typed arrays (≈ 25 bytes a wallet: 25 MB for 1M). An index is immutable: a full
 * list or a delta makes a new one (a delta by copying the runs between its insertion
 * points, so 1,000 entries into 1M cost a few block copies), and a tap in flight keeps the
 * index it started with.
 */
import type { HotlistEntry } from '../../../protocol';
import {
  WALLET_ID_SIZE,
  type HotlistNotice,
  type HotlistSnapshot,
} from '../../../db/hotlist-store';
import type { HotlistView } from '../model';

type Reason = HotlistEntry['reason'];
const REASONS: readonly Reason[] = ['lost', 'stolen', 'double_spend', 'migrated', 'closed'];
const reasonCode = (reason: Reason): number => REASONS.indexOf(reason) + 1;

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

export interface ListMeta {
  readonly version: number;
  readonly issuedAt: number;
}

export class HotlistIndex implements HotlistView {
  readonly count: number;
  private readonly words: DataView;
  private readonly noticesById: ReadonlyMap<string, readonly HotlistNotice[]>;

  private constructor(readonly snapshot: HotlistSnapshot) {
    this.count = snapshot.reasons.length;
    this.words = new DataView(
      snapshot.ids.buffer,
      snapshot.ids.byteOffset,
      snapshot.ids.byteLength,
    );
    const byId = new Map<string, HotlistNotice[]>();
    for (const notice of snapshot.notices) {
      const key = hex(notice.walletId);
      byId.set(key, [...(byId.get(key) ?? []), notice]);
    }
    for (const list of byId.values()) list.sort((a, b) => a.sequence - b.sequence);
    this.noticesById = byId;
  }

  static empty(): HotlistIndex {
    return HotlistIndex.fromSnapshot({
      version: 0,
      issuedAt: 0,
      ids: new Uint8Array(0),
      reasons: new Uint8Array(0),
      revokedAt: new Float64Array(0),
      notices: [],
    });
  }

  /** Takes the arrays as they are: ids must be ascending (db/hotlist-store checks a file). */
  static fromSnapshot(snapshot: HotlistSnapshot): HotlistIndex {
    return new HotlistIndex(snapshot);
  }

  get version(): number {
    return this.snapshot.version;
  }

  /** Undefined before the first list (a platform with no revocation sends version 0). */
  get issuedAt(): number | undefined {
    return this.snapshot.issuedAt === 0 ? undefined : this.snapshot.issuedAt;
  }

  lookup(walletId: Uint8Array): HotlistEntry | undefined {
    const at = this.find(walletId);
    if (at < 0) return undefined;
    return {
      walletId: this.snapshot.ids.slice(at * WALLET_ID_SIZE, (at + 1) * WALLET_ID_SIZE),
      reason: REASONS[(this.snapshot.reasons[at] as number) - 1] as Reason,
      revokedAt: this.snapshot.revokedAt[at] as number,
    };
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
    const built = build(sorted.length, (i) => sorted[i] as HotlistEntry);
    const listed = new Set(sorted.map((e) => hex(e.walletId)));
    const kept = this.snapshot.notices.filter((n) => listed.has(hex(n.walletId)));
    return new HotlistIndex({ ...meta, ...built, notices: mergeNotices(kept, notices) });
  }

  /** A delta: adds its entries (a wallet already listed keeps its entry: revocations stay). */
  withDelta(
    entries: readonly HotlistEntry[],
    notices: readonly HotlistNotice[],
    meta: ListMeta,
  ): HotlistIndex {
    const fresh = sortEntries(entries).filter((e) => this.find(e.walletId) < 0);
    const total = this.count + fresh.length;
    // Every byte is written below, so the memory need not be zeroed first (25 MB at 1M).
    const ids = uninitialised(total * WALLET_ID_SIZE);
    const reasons = uninitialised(total);
    const revokedAt = new Float64Array(uninitialised(total * 8).buffer, 0, total);
    const { snapshot } = this;
    let from = 0; // next old entry to copy
    let to = 0; // next slot
    const copyOld = (until: number) => {
      ids.set(
        snapshot.ids.subarray(from * WALLET_ID_SIZE, until * WALLET_ID_SIZE),
        to * WALLET_ID_SIZE,
      );
      reasons.set(snapshot.reasons.subarray(from, until), to);
      revokedAt.set(snapshot.revokedAt.subarray(from, until), to);
      to += until - from;
      from = until;
    };
    for (const entry of fresh) {
      copyOld(-this.find(entry.walletId) - 1);
      ids.set(entry.walletId, to * WALLET_ID_SIZE);
      reasons[to] = reasonCode(entry.reason);
      revokedAt[to] = entry.revokedAt;
      to += 1;
    }
    copyOld(this.count);
    return new HotlistIndex({
      ...meta,
      ids,
      reasons,
      revokedAt,
      notices: mergeNotices(snapshot.notices, notices),
    });
  }

  /** Index of `walletId`, or −(insertion point) − 1 when it is not listed. */
  private find(walletId: Uint8Array): number {
    if (walletId.length !== WALLET_ID_SIZE) return -1;
    const w0 =
      (((walletId[0] as number) << 24) |
        ((walletId[1] as number) << 16) |
        ((walletId[2] as number) << 8) |
        (walletId[3] as number)) >>>
      0;
    const key = new DataView(walletId.buffer, walletId.byteOffset, WALLET_ID_SIZE);
    const words = this.words;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = mid * WALLET_ID_SIZE;
      let order = words.getUint32(at) - w0;
      for (let w = 4; order === 0 && w < WALLET_ID_SIZE; w += 4) {
        order = words.getUint32(at + w) - key.getUint32(w);
      }
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -low - 1;
  }
}

/** Memory of its own (never Node's shared pool), not zeroed. */
function uninitialised(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}

/** Entries sorted by walletId, one per wallet (the earliest revocation wins). */
function sortEntries(entries: readonly HotlistEntry[]): HotlistEntry[] {
  const sorted = entries.filter((e) => e.walletId.length === WALLET_ID_SIZE);
  sorted.sort((a, b) => Buffer.compare(a.walletId, b.walletId) || a.revokedAt - b.revokedAt);
  return sorted.filter(
    (e, i) => i === 0 || Buffer.compare((sorted[i - 1] as HotlistEntry).walletId, e.walletId) !== 0,
  );
}

function build(count: number, entry: (i: number) => HotlistEntry) {
  const ids = new Uint8Array(count * WALLET_ID_SIZE);
  const reasons = new Uint8Array(count);
  const revokedAt = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const e = entry(i);
    ids.set(e.walletId, i * WALLET_ID_SIZE);
    reasons[i] = reasonCode(e.reason);
    revokedAt[i] = e.revokedAt;
  }
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
