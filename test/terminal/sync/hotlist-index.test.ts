/** The 1M-ready hotlist index and its file: lookups agree with a plain Set, whatever is applied. */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { HotlistEntry } from '../../../protocol';
import {
  decodeHotlist,
  encodeHotlist,
  HotlistFileError,
  HotlistStore,
} from '../../../db/hotlist-store';
import { HotlistIndex } from '../../../main/terminal/sync/hotlist-index';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
// Few distinct bytes, so ids share long prefixes and every word of the comparison matters.
const walletId = fc.uint8Array({ minLength: 16, maxLength: 16, min: 0, max: 3 });
const entry = fc.record({
  walletId,
  reason: fc.constantFrom('lost', 'stolen', 'double_spend', 'migrated', 'closed'),
  revokedAt: fc.integer({ min: 0, max: 2 ** 40 }),
}) as fc.Arbitrary<HotlistEntry>;

describe('HotlistIndex', () => {
  it('answers as a Set of the ids applied (a full list, then deltas)', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 60 }),
        fc.array(fc.array(entry, { maxLength: 20 }), { maxLength: 4 }),
        fc.array(walletId, { maxLength: 30 }),
        (full, deltas, probes) => {
          let index = HotlistIndex.empty().withFull(full, [], { version: 1, issuedAt: 10 });
          const listed = new Map<string, HotlistEntry>();
          const remember = (e: HotlistEntry) => {
            if (!listed.has(hex(e.walletId))) listed.set(hex(e.walletId), e);
          };
          // Within one list the earliest revocation wins; across lists the first one stays.
          const applyList = (list: HotlistEntry[]) => {
            const fresh = new Map<string, HotlistEntry>();
            for (const e of list) {
              const seen = fresh.get(hex(e.walletId));
              if (seen === undefined || e.revokedAt < seen.revokedAt) fresh.set(hex(e.walletId), e);
            }
            for (const e of fresh.values()) remember(e);
          };
          applyList(full);
          deltas.forEach((delta, i) => {
            index = index.withDelta(delta, [], { version: i + 2, issuedAt: 20 + i });
            applyList(delta);
          });
          expect(index.count).toBe(listed.size);
          for (const probe of [...probes, ...[...listed.values()].map((e) => e.walletId)]) {
            const expected = listed.get(hex(probe));
            const found = index.lookup(probe);
            expect(found === undefined).toBe(expected === undefined);
            if (expected && found) {
              expect(found.reason).toBe(expected.reason);
              expect(found.revokedAt).toBe(expected.revokedAt);
            }
          }
          // The file keeps it exactly.
          const back = HotlistIndex.fromSnapshot(decodeHotlist(encodeHotlist(index.snapshot)));
          for (const e of listed.values())
            expect(back.lookup(e.walletId)).toEqual(index.lookup(e.walletId));
          expect(back.version).toBe(index.version);
        },
      ),
    );
  });

  it('keeps notices per wallet, oldest first, once each, and drops those of unlisted wallets', () => {
    const a = new Uint8Array(16).fill(1);
    const b = new Uint8Array(16).fill(2);
    const notice = (walletId: Uint8Array, sequence: number) => ({
      walletId,
      sequence,
      envelope: Uint8Array.of(sequence),
    });
    const lost = (walletId: Uint8Array): HotlistEntry => ({
      walletId,
      reason: 'lost',
      revokedAt: 5,
    });
    let index = HotlistIndex.empty().withFull([lost(a), lost(b)], [notice(a, 3)], {
      version: 1,
      issuedAt: 1,
    });
    index = index.withDelta([], [notice(a, 2), notice(a, 3), notice(b, 1)], {
      version: 2,
      issuedAt: 2,
    });
    expect(index.notices(a)).toEqual([Uint8Array.of(2), Uint8Array.of(3)]);
    index = index.withFull([lost(a)], [], { version: 3, issuedAt: 3 });
    expect(index.notices(b)).toEqual([]);
    expect(index.notices(a)).toHaveLength(2);
    expect(index.notices(new Uint8Array(3))).toEqual([]);
    expect(index.lookup(new Uint8Array(3))).toBeUndefined();
  });

  describe('its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapsafe-hotlist-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is absent before the first list, then round-trips', async () => {
      const store = new HotlistStore(join(dir, 'hotlist.bin'));
      expect(store.load()).toBeUndefined();
      const index = HotlistIndex.empty().withFull(
        [{ walletId: new Uint8Array(16).fill(9), reason: 'stolen', revokedAt: 77 }],
        [],
        { version: 4, issuedAt: 99 },
      );
      await store.save(index.snapshot);
      const loaded = HotlistIndex.fromSnapshot(store.load()!);
      expect(loaded.lookup(new Uint8Array(16).fill(9))?.reason).toBe('stolen');
      expect([loaded.version, loaded.issuedAt]).toEqual([4, 99]);
    });

    it('is refused when damaged: a flipped byte, a truncation, another file', () => {
      const path = join(dir, 'hotlist.bin');
      const good = readFileSync(path);
      const flipped = Buffer.from(good);
      flipped[70] = (flipped[70] as number) ^ 1;
      for (const bad of [
        flipped,
        good.subarray(0, good.length - 1),
        Buffer.from('not a hotlist'),
      ]) {
        writeFileSync(path, bad);
        expect(() => new HotlistStore(path).load()).toThrow(HotlistFileError);
      }
    });
  });
});
